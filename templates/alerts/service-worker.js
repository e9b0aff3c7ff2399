/*
 * Shows the site's alerts and opens the story when one is clicked.
 * Served at /service-worker.js so that it covers the whole site.
 */
"use strict";

self.addEventListener("push", (event) => {
  let alert = {};
  try {
    alert = event.data ? event.data.json() : {};
  } catch (error) {
    alert = { title: event.data.text() };
  }
  event.waitUntil(
    self.registration.showNotification(alert.title || "News alert", {
      body: alert.body || "",
      tag: alert.tag,
      data: { url: alert.url || "/" },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data.url, self.location.origin);
  if (url.origin !== self.location.origin) {
    return; // only this site's own pages
  }
  event.waitUntil(self.clients.openWindow(url.href));
});
