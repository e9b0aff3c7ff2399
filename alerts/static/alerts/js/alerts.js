/*
 * "Get alerts": asks the browser for permission, subscribes it to the site's
 * push messages and tells the site which topics to send. Shown only where the
 * browser can receive push messages; the page itself is the same for everyone
 * (it is served from the cache), so the state is read from the browser.
 */
(() => {
  "use strict";

  const box = document.querySelector("[data-alerts]");
  if (!box || !("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    return;
  }
  const form = box.querySelector("form");
  const status = box.querySelector("[data-alerts-status]");
  const stopButton = box.querySelector("[data-alerts-stop]");
  const topicInputs = Array.from(form.querySelectorAll("input[name='topic']"));

  const keyBytes = (base64url) => {
    const base64 = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  };

  const say = (message) => {
    status.textContent = message;
  };

  const registration = () => navigator.serviceWorker.register(box.dataset.serviceWorker, { scope: "/" });

  const post = (url, body) =>
    fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
    });

  const follow = async (event) => {
    event.preventDefault();
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
      say("Alerts are blocked in this browser's settings for this site.");
      return;
    }
    try {
      const worker = await registration();
      await navigator.serviceWorker.ready;
      const subscription =
        (await worker.pushManager.getSubscription()) ||
        (await worker.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(box.dataset.vapidKey),
        }));
      const chosen = topicInputs.filter((input) => input.checked).map((input) => input.value);
      const response = await post(box.dataset.followUrl, {
        subscription: subscription.toJSON(),
        follow: chosen,
        unfollow: topicInputs.filter((input) => !input.checked).map((input) => input.value),
      });
      if (!response.ok) {
        throw new Error(`status ${response.status}`);
      }
      const labels = topicInputs.filter((input) => input.checked).map((input) => input.labels[0].textContent.trim());
      say(labels.length ? `You will get alerts: ${labels.join(", ")}.` : "You will get no alerts from this page's topics.");
      stopButton.hidden = false;
    } catch (error) {
      say("Alerts could not be turned on in this browser. Please try again later.");
    }
  };

  const stop = async () => {
    const worker = await navigator.serviceWorker.getRegistration("/");
    const subscription = worker && (await worker.pushManager.getSubscription());
    if (subscription) {
      await post(box.dataset.unsubscribeUrl, { endpoint: subscription.endpoint });
      await subscription.unsubscribe();
    }
    stopButton.hidden = true;
    say("Alerts are off in this browser.");
  };

  form.addEventListener("submit", follow);
  stopButton.addEventListener("click", stop);
  box.hidden = false;
  navigator.serviceWorker.getRegistration("/").then(async (worker) => {
    if (worker && Notification.permission === "granted" && (await worker.pushManager.getSubscription())) {
      stopButton.hidden = false;
    }
  });
})();
