// Live blog: asks for entries newer than the newest shown and puts them on top.
// Without JavaScript the page works as it is: a reload shows the new entries.
(function () {
  "use strict";
  var list = document.querySelector("[data-live-blog-entries]");
  if (!list || !window.fetch) {
    return;
  }
  var status = document.querySelector("[data-live-blog-status]");
  var url = list.getAttribute("data-poll-url");
  var after = parseInt(list.getAttribute("data-after"), 10) || 0;
  var seconds = Math.max(parseInt(list.getAttribute("data-poll-seconds"), 10) || 10, 2);
  var timer = null;

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function insert(entries) {
    var empty = list.querySelector(".live-blog__empty");
    if (empty && entries.length) {
      empty.remove();
    }
    // The answer is newest first; insert the oldest first so the newest ends on top.
    for (var i = entries.length - 1; i >= 0; i--) {
      if (document.getElementById("entry-" + entries[i].id)) {
        continue;
      }
      var template = document.createElement("template");
      template.innerHTML = entries[i].html.trim();
      var item = template.content.firstElementChild;
      if (item) {
        item.classList.add("live-blog__entry--new");
        list.insertBefore(item, list.firstElementChild);
      }
      after = Math.max(after, entries[i].id);
    }
  }

  function poll() {
    timer = null;
    if (document.hidden) {
      return;
    }
    fetch(url + "?after=" + after, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        if (data.reload) {
          say("Many new updates: reload the page to see them all.");
          return;
        }
        insert(data.entries);
        if (data.entries.length) {
          say(data.entries.length === 1 ? "1 new update" : data.entries.length + " new updates");
        }
        if (data.status === "live") {
          schedule();
        } else {
          say("Coverage has ended.");
        }
      })
      .catch(function () {
        // A network hiccup or a restarting server: try again later, a little slower.
        schedule(seconds * 2);
      });
  }

  function schedule(delay) {
    if (timer === null) {
      timer = window.setTimeout(poll, (delay || seconds) * 1000);
    }
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      schedule(0.1);
    }
  });
  schedule();
})();
