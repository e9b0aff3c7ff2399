// Polls the import's progress (its row, updated by the worker) until it ends, then
// reloads the page to show the report. Without JavaScript, a reload shows the same.
(function () {
  "use strict";
  const box = document.querySelector("[data-import-progress]");
  if (!box || box.dataset.finished === "true") return;
  const field = (name) => box.querySelector(`[data-field="${name}"]`);
  const duration = (seconds) => {
    if (seconds < 60) return `${seconds} s`;
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
    return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  };
  const show = (data) => {
    box.querySelector("progress").value = data.percent;
    field("percent").textContent = `${data.percent}%`;
    field("status").textContent = data.status_label;
    field("phase").textContent = data.phase ? `, ${data.phase.toLowerCase()}` : "";
    field("items").textContent = `${data.done} of ${data.total} items`;
    field("elapsed").textContent = duration(data.elapsed_seconds);
    field("remaining").textContent =
      data.remaining_seconds === null ? "" : `, about ${duration(data.remaining_seconds)} left`;
    field("error").textContent = data.error;
    field("error").hidden = !data.error;
    field("stale").hidden = !data.stale;
  };
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.importProgress, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const data = await response.json();
        show(data);
        if (data.finished) {
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      // The server is restarting or the network blinked: try again at the next tick.
    }
    window.setTimeout(poll, 1000);
  };
  window.setTimeout(poll, 1000);
})();
