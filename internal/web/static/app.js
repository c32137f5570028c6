// Progressive enhancement only: every page works without this script.
// A form marked data-progress uploads with XMLHttpRequest so that a
// progress bar can show how much was sent; the server answers the upload
// as it answers the plain form (a redirect to the dataset's page).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll("form[data-progress]");
    Array.prototype.forEach.call(forms, function (form) {
      form.addEventListener("submit", function (ev) {
        if (!window.FormData || !window.XMLHttpRequest) { return; }
        ev.preventDefault();
        var bar = document.getElementById(form.getAttribute("data-progress"));
        var status = document.getElementById(form.getAttribute("data-progress") + "-text");
        var data = new FormData(form);
        var xhr = new XMLHttpRequest();
        xhr.open("POST", form.action);
        var token = form.querySelector("input[name=csrf_token]");
        if (token) { xhr.setRequestHeader("X-CSRF-Token", token.value); }
        if (bar) { bar.hidden = false; bar.value = 0; }
        xhr.upload.addEventListener("progress", function (e) {
          if (e.lengthComputable && bar) {
            bar.max = e.total; bar.value = e.loaded;
            if (status) { status.textContent = Math.round(100 * e.loaded / e.total) + "%"; }
          }
        });
        xhr.addEventListener("load", function () {
          if (xhr.status < 400 && xhr.responseURL && xhr.responseURL !== form.action) {
            window.location.assign(xhr.responseURL);
            return;
          }
          document.open(); document.write(xhr.responseText); document.close();
        });
        xhr.addEventListener("error", function () { form.submit(); });
        xhr.send(data);
      });
    });
  });
  // A page with <meta name="shujiao-poll"> (a running job) fetches itself
  // every so many seconds and updates #job-facts (a polite live region) in
  // place; once the fetched page no longer polls (the job ended) it loads
  // it. No meta refresh: nothing reloads under the reader while it runs.
  document.addEventListener("DOMContentLoaded", function () {
    var meta = document.querySelector('meta[name="shujiao-poll"]');
    if (!meta || !window.fetch || !window.DOMParser) { return; }
    var every = 1000 * (parseInt(meta.content, 10) || 2);
    function poll() {
      fetch(window.location.href, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        if (!doc.querySelector('meta[name="shujiao-poll"]')) { window.location.reload(); return; }
        var now = document.getElementById("job-facts"), next = doc.getElementById("job-facts");
        if (now && next && now.innerHTML !== next.innerHTML) { now.innerHTML = next.innerHTML; }
        window.setTimeout(poll, every);
      }).catch(function () { window.setTimeout(poll, every); });
    }
    window.setTimeout(poll, every);
  });
})();
