/*
 * The account page's "Alerts": which topics this browser follows. Push
 * subscriptions belong to a browser, not to an account, so the browser asks
 * with its own push address (/alerts/following/) and can stop a topic or
 * every alert from here. Nothing is stored about the reader.
 */
(() => {
  "use strict";

  const box = document.querySelector("[data-account-alerts]");
  if (!box) {
    return;
  }
  const status = box.querySelector("[data-account-alerts-status]");
  const list = box.querySelector("[data-account-alerts-topics]");
  const stopAll = box.querySelector("[data-account-alerts-stop]");
  box.hidden = false;

  const say = (message) => {
    status.textContent = message;
  };

  const post = (url, body) =>
    fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
    });

  if (!("serviceWorker" in navigator) || !("PushManager" in window)) {
    say("This browser cannot receive alerts.");
    return;
  }

  const show = (subscription, topics) => {
    list.textContent = "";
    stopAll.hidden = !topics.length;
    if (!topics.length) {
      say("This browser follows no alerts.");
      return;
    }
    say(`This browser gets alerts for ${topics.length === 1 ? "one topic" : `${topics.length} topics`}:`);
    topics.forEach((topic) => {
      const item = document.createElement("li");
      if (topic.url) {
        const anchor = document.createElement("a");
        anchor.href = topic.url;
        anchor.textContent = topic.label;
        item.append(anchor);
      } else {
        item.append(topic.label);
      }
      const stop = document.createElement("button");
      stop.type = "button";
      stop.className = "button button--secondary";
      stop.textContent = "Stop";
      stop.setAttribute("aria-label", `Stop alerts: ${topic.label}`);
      stop.addEventListener("click", async () => {
        const response = await post(box.dataset.followUrl, {
          subscription: subscription.toJSON(),
          follow: [],
          unfollow: [topic.key],
        });
        if (!response.ok) {
          say("That did not work. Please try again later.");
          return;
        }
        const left = (await response.json()).topics;
        show(subscription, topics.filter((other) => left.includes(other.key)));
      });
      item.append(" ", stop);
      list.append(item);
    });
  };

  const load = async () => {
    const worker = await navigator.serviceWorker.getRegistration("/");
    const subscription = worker && (await worker.pushManager.getSubscription());
    if (!subscription) {
      say("This browser follows no alerts.");
      return;
    }
    const response = await post(box.dataset.followingUrl, { endpoint: subscription.endpoint });
    if (!response.ok) {
      throw new Error(`status ${response.status}`);
    }
    show(subscription, (await response.json()).topics);
    stopAll.onclick = async () => {
      await post(box.dataset.unsubscribeUrl, { endpoint: subscription.endpoint });
      await subscription.unsubscribe();
      list.textContent = "";
      stopAll.hidden = true;
      say("Alerts are off in this browser.");
    };
  };

  load().catch(() => say("This browser's alerts could not be read. Please try again later."));
})();
