// The live desk's "Send an alert": the text box shows, as its placeholder, what
// is sent when it is left empty (the entry's headline as it is typed, else the
// live blog's title; the server falls back to the entry's first line before the title).
(function () {
  "use strict";
  function start() {
    const text = document.querySelector("[data-live-desk-alert-text]");
    const headline = document.getElementById("id_headline");
    if (!text || !headline) return;
    const title = text.dataset.liveBlogTitle || "";
    const follow = function () {
      text.placeholder = headline.value.trim() || title;
    };
    headline.addEventListener("input", follow);
    follow();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
