// The personal parts of a page every reader shares: who is signed in, the
// comment form without name and e-mail, "Edit"/"Delete" on the reader's own
// comments, and (through window.newsroomReader) the newsletter boxes' one click. The page itself comes from the shared cache; this asks
// /account/me.json, which is never cached, once.
(function () {
  "use strict";
  const status = document.querySelector("[data-reader-status]");
  if (!status || !window.fetch) return;
  const commentIds = Array.from(document.querySelectorAll("li.comment[id^='c']"))
    .map(function (item) { return item.id.slice(1); })
    .filter(function (id) { return /^\d+$/.test(id); })
    .slice(0, 200);
  const url = status.dataset.meUrl + (commentIds.length ? "?comments=" + commentIds.join(",") : "");

  function link(href, text, className) {
    const anchor = document.createElement("a");
    anchor.href = href;
    anchor.textContent = text;
    if (className) anchor.className = className;
    return anchor;
  }

  function showSignedIn(me) {
    status.textContent = "Signed in as ";
    const name = document.createElement("strong");
    name.className = "reader-status__name";
    name.textContent = me.display_name;
    status.append(name, " · ", link(me.account_url, "Your account"));
  }

  function prepareCommentForms(me) {
    document.querySelectorAll("form.comment-form").forEach(function (form) {
      if (!form.querySelector("input[name='csrfmiddlewaretoken']")) {
        const token = document.createElement("input");
        token.type = "hidden";
        token.name = "csrfmiddlewaretoken";
        token.value = me.csrf_token;
        form.prepend(token);
      }
      ["name", "email", "url"].forEach(function (fieldName) {
        const input = form.querySelector("[name='" + fieldName + "']");
        if (!input) return;
        // Sent empty: the server fills in the account's name and verified address.
        input.required = false;
        input.value = "";
        input.disabled = true;
        const row = input.closest(".comment-form__field");
        if (row) row.hidden = true;
      });
      const note = document.createElement("p");
      note.className = "comment-form__as";
      note.textContent = "Commenting as " + me.display_name + ".";
      form.prepend(note);
    });
  }

  function markOwnComments(me) {
    me.own_comments.forEach(function (own) {
      const item = document.getElementById("c" + own.id);
      if (!item) return;
      item.classList.add("comment--own");
      const author = item.querySelector(".comment__author");
      if (author) {
        const mark = document.createElement("span");
        mark.className = "comment__own";
        mark.textContent = " (you)";
        author.after(mark);
      }
      const actions = item.querySelector(".comment__actions");
      if (!actions) return;
      if (own.edit_url) actions.append(link(own.edit_url, "Edit", "comment__edit"));
      actions.append(link(own.delete_url, "Delete", "comment__delete"));
    });
  }

  // Other scripts of the page (the newsletter sign-up boxes) wait on the same
  // answer rather than asking again: it resolves to me.json, or null.
  window.newsroomReader = fetch(url, {
    credentials: "same-origin",
    cache: "no-store",
    headers: { Accept: "application/json" },
  })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (me) {
      if (!me || !me.signed_in) return me;
      showSignedIn(me);
      prepareCommentForms(me);
      markOwnComments(me);
      return me;
    })
    .catch(function () { return null; /* The page works without it, as for anyone signed out. */ });
})();
