/*
 * "Publish with alert…": a dialog in the page's form for the alert's text
 * (the headline unless the editor changes it) and who gets it; its button
 * publishes the page as Publish does, and the server then sends the alert.
 */
(() => {
  "use strict";

  const build = (form, opener) => {
    const dialog = document.createElement("dialog");
    dialog.className = "publish-with-alert";
    dialog.setAttribute("aria-labelledby", "publish-with-alert-heading");

    const heading = document.createElement("h2");
    heading.id = "publish-with-alert-heading";
    heading.textContent = "Publish and send an alert";

    const textLabel = document.createElement("label");
    textLabel.htmlFor = "id_alert_text";
    textLabel.textContent = "Alert text";
    const text = document.createElement("textarea");
    text.id = "id_alert_text";
    text.name = "alert_text";
    text.rows = 3;
    text.maxLength = Number(opener.dataset.textMaxLength) || 200;
    const titleInput = form.querySelector("input[name='title']");
    text.value = (titleInput && titleInput.value) || opener.dataset.headline || "";

    const topics = document.createElement("fieldset");
    const legend = document.createElement("legend");
    legend.textContent = "Send to readers following";
    topics.append(legend);
    JSON.parse(opener.dataset.topics || "[]").forEach((topic, index) => {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = "alert_topics";
      box.value = topic.key;
      box.checked = index === 0;
      label.append(box, ` ${topic.label}`);
      topics.append(label);
    });

    const publish = document.createElement("button");
    publish.type = "submit";
    publish.name = "action-publish";
    publish.value = "with-alert";
    publish.className = "button";
    publish.textContent = "Publish and send alert";
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "button button-secondary";
    cancel.textContent = "Cancel";
    cancel.addEventListener("click", () => dialog.close());

    dialog.append(heading, textLabel, text, topics, publish, cancel);
    // The dialog's fields are sent only by its own button (Wagtail ignores them otherwise).
    form.append(dialog);
    return dialog;
  };

  document.addEventListener("click", (event) => {
    const opener = event.target.closest("[data-publish-with-alert]");
    if (!opener) {
      return;
    }
    const form = document.querySelector("form[data-edit-form]");
    if (!form) {
      return;
    }
    const dialog = form.querySelector("dialog.publish-with-alert") || build(form, opener);
    dialog.showModal();
    dialog.querySelector("textarea").focus();
  });
})();
