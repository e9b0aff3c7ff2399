// Reply in place: without this script, "Reply" opens a page with its own form.
// The page's comment form serves any reply on the article; only reply_to changes,
// and the server checks it.
(function () {
  "use strict";
  const form = document.querySelector(".comment-form-section .comment-form");
  if (!form) return;
  const home = form.parentNode;
  const placeholder = document.createComment("comment form");
  home.insertBefore(placeholder, form);
  const replyTo = form.querySelector('input[name="reply_to"]');
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.className = "link-button comment-form__cancel";
  cancel.textContent = "Cancel reply";
  cancel.hidden = true;
  form.querySelector('button[type="submit"]').after(cancel);

  document.addEventListener("click", function (event) {
    const link = event.target.closest(".comment__reply");
    if (!link || !link.dataset.replyTo) return;
    event.preventDefault();
    link.closest(".comment__body").after(form);
    replyTo.value = link.dataset.replyTo;
    cancel.hidden = false;
    form.querySelector("textarea").focus();
  });

  cancel.addEventListener("click", function () {
    home.insertBefore(form, placeholder.nextSibling);
    replyTo.value = "0";
    cancel.hidden = true;
  });
})();
