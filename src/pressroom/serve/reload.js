// pressroom serve: reload the page when the site is rebuilt, show what holds a rebuild back.
(function () {
  "use strict";
  var script = document.currentScript;
  var version = Number(script.getAttribute("data-version"));
  var BOX_ID = "pressroom-preview-status";

  function show(status) {
    var box = document.getElementById(BOX_ID);
    if (!status.errors.length && !status.note) {
      if (box) { box.remove(); }
      return;
    }
    if (!box) {
      box = document.createElement("aside");
      box.id = BOX_ID;
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:2147483647;" +
        "max-height:45vh;overflow:auto;margin:0;padding:0.8em 1.2em;background:#fff4f4;" +
        "border-top:3px solid #b00020;color:#1a1a1a;font:14px/1.4 monospace;";
      document.body.appendChild(box);
    }
    box.replaceChildren();
    var title = document.createElement("strong");
    title.textContent = status.errors.length
      ? "pressroom: not rebuilt, this page is the last good version. Fix:"
      : status.note;
    box.appendChild(title);
    status.errors.forEach(function (error) {
      var line = document.createElement("pre");
      line.className = "pressroom-error";
      line.style.cssText = "margin:0.4em 0 0;white-space:pre-wrap;background:none;border:0;";
      line.textContent = error;
      box.appendChild(line);
    });
  }

  var events = new EventSource(script.getAttribute("data-events"));
  events.addEventListener("status", function (message) {
    var status = JSON.parse(message.data);
    if (status.version > version) {
      events.close();
      window.location.reload();
      return;
    }
    show(status);
  });
})();
