// Cards print their date ("7 December 2026"), which stays true on a cached
// page. For a story of the reader's today, this says how long ago it was,
// from the <time datetime> and the reader's own clock, and keeps it current.
(function () {
  "use strict";
  var MINUTE = 60 * 1000;
  var HOUR = 60 * MINUTE;

  function ago(then, now) {
    var elapsed = now - then;
    if (elapsed < 0 || then.toDateString() !== now.toDateString()) {
      return null; // another day, or a clock behind the server's: the printed date stands
    }
    if (elapsed < MINUTE) {
      return "Just now";
    }
    if (elapsed < HOUR) {
      var minutes = Math.floor(elapsed / MINUTE);
      return minutes + (minutes === 1 ? " minute ago" : " minutes ago");
    }
    var hours = Math.floor(elapsed / HOUR);
    return hours + (hours === 1 ? " hour ago" : " hours ago");
  }

  function update() {
    var now = new Date();
    var times = document.querySelectorAll("time[data-relative-time]");
    for (var i = 0; i < times.length; i++) {
      var time = times[i];
      if (!time.hasAttribute("data-date")) {
        time.setAttribute("data-date", time.textContent);
      }
      var then = new Date(time.getAttribute("datetime"));
      var text = isNaN(then.getTime()) ? null : ago(then, now);
      time.textContent = text || time.getAttribute("data-date");
    }
  }

  update();
  window.setInterval(update, MINUTE);
})();
