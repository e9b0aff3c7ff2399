// The sign-up boxes for a signed-in reader: one click instead of an e-mail
// address, or "You're subscribed". The page comes from the shared cache and is
// the same for everyone; who is signed in, which lists they receive and the CSRF
// token come from /account/me.json, which readers.js asks once
// (window.newsroomReader). Without JavaScript, or signed out, the box is the
// ordinary double opt-in form.
(function () {
  "use strict";
  // Every box includes this script; the first copy to run handles them all.
  if (window.newsroomSignupBoxes) return;
  window.newsroomSignupBoxes = true;
  const boxes = Array.from(document.querySelectorAll("form[data-newsletter-signup]"));
  if (!boxes.length || !window.newsroomReader || !window.fetch || !window.FormData) return;

  let subscribed = new Set();

  function listInputs(box) {
    return Array.from(box.querySelectorAll("input[name='newsletters']"));
  }

  function names(inputs) {
    const all = inputs.map(function (input) { return input.dataset.name || input.value; });
    if (all.length < 2) return all.join("");
    return all.slice(0, -1).join(", ") + " and " + all[all.length - 1];
  }

  function say(box, parts) {
    const status = box.querySelector("[data-newsletter-status]");
    status.textContent = "";
    parts.forEach(function (part) { status.append(part); });
  }

  // `hidden` alone loses to the stylesheet's display rules (the field row is a flex box).
  function hide(element) {
    element.hidden = true;
    element.style.display = "none";
  }

  function link(href, text) {
    const anchor = document.createElement("a");
    anchor.href = href;
    anchor.textContent = text;
    return anchor;
  }

  // Show the box's state: "You're subscribed" when the reader has all its lists,
  // otherwise the lists they lack, ticked as offered, and the one-click button.
  function refresh(box, me) {
    const inputs = listInputs(box);
    const missing = inputs.filter(function (input) { return !subscribed.has(input.value); });
    const lists = box.querySelector(".newsletter-signup__lists");
    const button = box.querySelector(".newsletter-signup__field button");
    inputs.forEach(function (input) {
      if (input.type !== "checkbox" || !subscribed.has(input.value)) return;
      input.checked = true;
      input.disabled = true; // not sent again
      const label = input.closest("label");
      if (label && !label.querySelector(".newsletter-signup__has")) {
        const mark = document.createElement("span");
        mark.className = "newsletter-signup__has";
        mark.textContent = " (subscribed)";
        label.append(mark);
      }
    });
    if (!missing.length) {
      if (lists && inputs.length > 1) hide(lists);
      hide(box.querySelector(".newsletter-signup__field"));
      hide(box.querySelector(".newsletter-signup__notice"));
      say(box, [
        "You're subscribed to " + names(inputs) + ". ",
        link(me.newsletters.account_url, "Manage your newsletters"),
      ]);
      return;
    }
    button.textContent = "Subscribe";
  }

  function prepare(box, me) {
    const field = box.querySelector(".newsletter-signup__field");
    const email = field.querySelector("input[name='email']");
    // The account's address, already verified: no address to type, nothing to confirm.
    email.required = false;
    email.disabled = true;
    hide(email);
    const emailLabel = field.querySelector("label");
    if (emailLabel) hide(emailLabel);
    const notice = box.querySelector(".newsletter-signup__notice");
    const archive = notice.querySelector("a");
    notice.textContent =
      "Signed in: one click subscribes your account's address, with no e-mail to confirm. " +
      "Every e-mail has a one-click unsubscribe link.";
    if (archive) notice.append(" ", archive);
    // Without this script's fetch (it failed to start), the form still posts to the one-click view.
    box.action = me.newsletters.subscribe_url;
    const token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrfmiddlewaretoken";
    token.value = me.csrf_token;
    const next = document.createElement("input");
    next.type = "hidden";
    next.name = "next";
    next.value = window.location.pathname + window.location.search;
    box.prepend(token, next);
    box.addEventListener("submit", function (event) {
      event.preventDefault();
      submit(box, me);
    });
  }

  function submit(box, me) {
    const data = new FormData(box);
    if (!data.getAll("newsletters").length) {
      say(box, ["Choose at least one newsletter."]);
      return;
    }
    const button = box.querySelector(".newsletter-signup__field button");
    button.disabled = true;
    fetch(me.newsletters.subscribe_url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          return { ok: response.ok, status: response.status, answer: answer };
        });
      })
      .then(function (result) {
        button.disabled = false;
        if (result.ok) {
          result.answer.subscribed.forEach(function (slug) { subscribed.add(slug); });
          boxes.forEach(function (other) { refresh(other, me); });
          if (box.querySelector(".newsletter-signup__field").style.display !== "none") {
            // The box offers more lists than were ticked: say what the click did.
            say(box, [
              "You're subscribed to " + result.answer.joined.join(", ") + ". ",
              link(me.newsletters.account_url, "Manage your newsletters"),
            ]);
          }
          return;
        }
        if (result.status === 403) {
          say(box, [
            "You are no longer signed in. ",
            link(me.newsletters.sign_in_url + "?next=" + encodeURIComponent(window.location.pathname), "Sign in again"),
            " to subscribe in one click.",
          ]);
          return;
        }
        say(box, [result.answer.error || "Subscribing did not work. Please try again."]);
      })
      .catch(function () {
        button.disabled = false;
        say(box, ["Subscribing did not work. Please try again."]);
      });
  }

  window.newsroomReader.then(function (me) {
    if (!me || !me.signed_in || !me.newsletters) return;
    subscribed = new Set(me.newsletters.subscribed);
    boxes.forEach(function (box) {
      prepare(box, me);
      refresh(box, me);
    });
  });
})();
