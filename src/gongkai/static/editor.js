/* The back office's rich-text editor: Jodit (vendored, static/vendor/jodit) on every
   textarea[data-richtext]. Headings, lists, tables and links; no images or styles. Pasted
   HTML (from Word, WPS or a web page) is cleaned by the server's own sanitiser before it is
   inserted, so what the editor shows is what will be published. No inline script. */
(function () {
  "use strict";
  if (!window.Jodit) return;

  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setup(textarea) {
    var form = textarea.form;
    var cleanUrl = textarea.getAttribute("data-clean-url");
    var editor = window.Jodit.make(textarea, {
      language: "zh_cn",
      height: 460,
      toolbarAdaptive: false,
      buttons: [
        "paragraph", "bold", "italic", "underline", "superscript", "subscript", "|",
        "ul", "ol", "outdent", "indent", "|", "table", "link", "hr", "|",
        "undo", "redo", "|", "eraser", "source", "fullsize"
      ],
      controls: {
        paragraph: {
          list: { p: "正文", h2: "一级标题", h3: "二级标题", h4: "三级标题", blockquote: "引用" }
        }
      },
      disablePlugins: "image,image-properties,image-processor,video,file,media,drag-and-drop,drag-and-drop-element,print,preview,speech-recognize,ai-assistant,about,powered-by-jodit,class-span,color,font,spellcheck",
      askBeforePasteHTML: false,
      askBeforePasteFromWord: false,
      showXPathInStatusbar: false,
      showCharsCounter: true,
      showWordsCounter: false,
      uploader: { insertImageAsBase64URI: false, url: "" }
    });
    textarea.setAttribute("data-editor-ready", "1");

    // paste: the server's sanitiser (nh3, the one that cleans what is saved) cleans it first;
    // listened to on the editor's frame in the capture phase, before the editor's own handler
    editor.workplace.addEventListener("paste", function (event) {
      var data = event.clipboardData;
      var html = data && data.getData("text/html");
      if (!html || !cleanUrl) return; // plain text: the editor inserts it as text
      event.preventDefault();
      event.stopPropagation();
      editor.s.save();
      var body = new URLSearchParams();
      body.set("html", html);
      fetch(cleanUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(form), "Content-Type": "application/x-www-form-urlencoded" },
        body: body.toString()
      }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      }).then(function (result) {
        editor.s.restore();
        editor.s.insertHTML(result.html);
        editor.synchronizeValues();
      }).catch(function () {
        editor.s.restore();
        editor.s.insertHTML(escapeText(data.getData("text/plain")));
        editor.synchronizeValues();
        window.alert("粘贴的内容未能清理格式，已按纯文字粘贴。");
      });
    }, true);
  }

  function escapeText(text) {
    var div = document.createElement("div");
    div.textContent = text || "";
    return div.innerHTML.replace(/\n/g, "<br>");
  }

  function ready() {
    document.querySelectorAll("textarea[data-richtext]").forEach(setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
