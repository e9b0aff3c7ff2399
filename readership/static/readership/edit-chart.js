// The story's hourly views, drawn by the server, in the editor's Status side panel.
(function () {
  "use strict";
  var match = window.location.pathname.match(/\/pages\/(\d+)\/edit\/$/);
  var script = document.currentScript;
  var panel = document.querySelector('[data-side-panel="status"] > div');
  if (!match || !script || !panel) {
    return;
  }
  var url = script.getAttribute("data-chart-url").replace("/0/", "/" + match[1] + "/");
  fetch(url, { credentials: "same-origin" })
    .then(function (response) {
      return response.ok ? response.text() : null;
    })
    .then(function (html) {
      if (html) {
        panel.insertAdjacentHTML("beforeend", html);
      }
    })
    .catch(function () {});
})();
