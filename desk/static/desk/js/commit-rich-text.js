/*
 * Every rich-text editor's words go into the form before the form is sent.
 *
 * Wagtail's rich-text editor (Draftail) copies its state into the form's hidden
 * input 250 ms after the last change (Draftail's `stateSaveInterval`, and a fixed
 * 250 ms in Wagtail's commentable editor, which the admin uses while editors'
 * comments are on). A save within that time, by the button or Ctrl/Cmd+S, sent
 * the previous text: "has been updated", and the last words were gone.
 *
 * So, before any admin form is submitted, and on the save shortcut (before
 * Wagtail's own handler), each editor's current state is written to its input
 * now, as the editor would write it a moment later.
 */
(() => {
  "use strict";

  // Comment highlights are styles on the text while editing; the saved text has
  // only the editor's own styles (as Wagtail's commentable editor saves it).
  const COMMENT_STYLE_PREFIX = "COMMENT-";

  const isEmpty = (raw) =>
    raw.blocks.every(
      (block) =>
        block.text.trim().length === 0 &&
        (!block.entityRanges || block.entityRanges.length === 0) &&
        (!block.inlineStyleRanges || block.inlineStyleRanges.length === 0),
    );

  const serialise = (editor) => {
    const raw = window.Draftail.serialiseEditorStateToRaw(editor.getEditorState());
    if (!raw) {
      return null;
    }
    const ownStyles = new Set(
      (editor.props.inlineStyles || [])
        .map((style) => style.type)
        .filter((type) => !type.startsWith(COMMENT_STYLE_PREFIX)),
    );
    raw.blocks.forEach((block) => {
      block.inlineStyleRanges = (block.inlineStyleRanges || []).filter((range) =>
        ownStyles.has(range.style),
      );
    });
    return isEmpty(raw) ? null : raw;
  };

  const commitEditors = (root) => {
    if (!window.Draftail || typeof window.Draftail.serialiseEditorStateToRaw !== "function") {
      return;
    }
    root.querySelectorAll("input").forEach((input) => {
      const editor = input.draftailEditor;
      if (!editor || typeof editor.getEditorState !== "function") {
        return;
      }
      const raw = serialise(editor);
      const value = JSON.stringify(raw);
      if (input.value !== value) {
        input.rawContentState = raw;
        input.value = value;
      }
    });
  };

  // Capture phase: before Wagtail's handlers, and before the browser reads the form.
  document.addEventListener(
    "submit",
    (event) => {
      if (event.target instanceof HTMLFormElement) {
        commitEditors(event.target);
      }
    },
    true,
  );

  window.addEventListener(
    "keydown",
    (event) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
        commitEditors(document);
      }
    },
    true,
  );
})();
