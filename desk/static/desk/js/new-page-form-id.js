/*
 * A new page's form carries a random id, so that the server can tell the same
 * form sent twice (autosave and "Save draft" racing) from a second new page with
 * the same headline. See desk/new_page_saves.py.
 */
(() => {
  "use strict";

  const FIELD = "desk_form_id";

  const randomId = () => {
    if (typeof crypto.randomUUID === "function") {
      return crypto.randomUUID();
    }
    // randomUUID needs a secure context; getRandomValues does not.
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) =>
      byte.toString(16).padStart(2, "0"),
    ).join("");
  };

  const addId = () => {
    document.querySelectorAll("form[data-edit-form]").forEach((form) => {
      if (!form.action.includes("/pages/add/") || form.elements.namedItem(FIELD)) {
        return;
      }
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = FIELD;
      input.value = randomId();
      form.prepend(input);
    });
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", addId);
  } else {
    addId();
  }
})();
