// Live blog: asks what changed since the newest change shown (entries posted,
// edited, pinned or unpinned, and deleted) and applies it to the open page.
// Without JavaScript the page works as it is: a reload shows the changes.
(function () {
  "use strict";
  var list = document.querySelector("[data-live-blog-entries]");
  if (!list || !window.fetch) {
    return;
  }
  var pinnedList = document.querySelector("[data-live-blog-pinned]");
  var status = document.querySelector("[data-live-blog-status]");
  var url = list.getAttribute("data-poll-url");
  var after = parseInt(list.getAttribute("data-after"), 10) || 0;
  var hasOlder = list.hasAttribute("data-has-older");
  var seconds = Math.max(parseFloat(list.getAttribute("data-poll-seconds")) || 10, 1);
  var timer = null;

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function showPinned() {
    if (pinnedList) {
      pinnedList.hidden = !pinnedList.querySelector(".live-blog__entry");
    }
  }

  function postedAt(item) {
    return Date.parse(item.getAttribute("data-posted-at")) || 0;
  }

  // The server's order: newest first, then the later entry (higher id) first.
  // Times are to the second, so two entries of one second are told by their ids.
  function isOlder(item, than) {
    var itemWhen = postedAt(item);
    var thanWhen = postedAt(than);
    if (itemWhen !== thanWhen) {
      return itemWhen < thanWhen;
    }
    return Number(item.getAttribute("data-entry-id")) < Number(than.getAttribute("data-entry-id"));
  }

  // Newest first: before the first entry older than this one.
  function placeInOrder(target, item) {
    var entries = target.querySelectorAll(".live-blog__entry");
    for (var i = 0; i < entries.length; i++) {
      if (isOlder(entries[i], item)) {
        target.insertBefore(item, entries[i]);
        return true;
      }
    }
    // Older than every entry shown: it belongs on an older page, unless this is the last one.
    if (target === list && hasOlder) {
      return false;
    }
    target.appendChild(item);
    return true;
  }

  // Returns whether a reader sees something new (not only an edit in place).
  function apply(entry) {
    var shown = document.getElementById("entry-" + entry.id);
    var template = document.createElement("template");
    template.innerHTML = entry.html.trim();
    var item = template.content.firstElementChild;
    if (!item) {
      return false;
    }
    var target = entry.pinned && pinnedList ? pinnedList : list;
    if (shown && shown.parentNode === target) {
      shown.replaceWith(item);
      return false;
    }
    if (shown) {
      shown.remove();
    }
    var empty = list.querySelector(".live-blog__empty");
    if (placeInOrder(target, item)) {
      if (empty) {
        empty.remove();
      }
      if (!shown) {
        item.classList.add("live-blog__entry--new");
        return true;
      }
    }
    return false;
  }

  function remove(ids) {
    ids.forEach(function (id) {
      var shown = document.getElementById("entry-" + id);
      if (shown) {
        shown.remove();
      }
    });
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
        var added = 0;
        // The answer is newest change first; apply the oldest first.
        for (var i = data.entries.length - 1; i >= 0; i--) {
          if (apply(data.entries[i])) {
            added++;
          }
        }
        remove(data.deleted || []);
        showPinned();
        after = Math.max(after, data.latest || 0);
        if (added) {
          say(added === 1 ? "1 new update" : added + " new updates");
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
