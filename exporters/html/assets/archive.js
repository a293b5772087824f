// The archive's only script: it filters the messages of a page (or the
// chats of the index) by the words typed into the search box, and carries
// the search to the neighbouring pages. It only reads the page's text and
// hides or shows elements; it never builds markup from text.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var hits = document.getElementById("hits");
  if (!input || !hits) {
    return;
  }
  // A chat page filters its messages, a chat's search page its list of
  // every message, the index its chats.
  // The search page shows nothing until words are typed, then the first
  // matches only: it may list a hundred thousand messages.
  var list = document.getElementById("messages");
  var everything = document.getElementById("all");
  var limit = everything ? 500 : Infinity;
  var all = list || everything || document.getElementById("chats");
  var items = Array.prototype.slice.call(all.querySelectorAll(".msg, .found, .entry"));
  var fold = function (s) {
    return s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  };
  var texts = items.map(function (el) { return fold(el.textContent); });

  function hideEmptyDays() {
    var day = null, seen = false;
    for (var n = list.firstElementChild; n; n = n.nextElementSibling) {
      if (n.classList.contains("day")) {
        if (day) { day.hidden = !seen; }
        day = n;
        seen = false;
      } else if (!n.hidden) {
        seen = true;
      }
    }
    if (day) { day.hidden = !seen; }
  }

  function apply() {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (el, i) {
      var match = (words.length > 0 || !everything) && words.every(function (w) { return texts[i].indexOf(w) >= 0; });
      if (match) { shown++; }
      if (everything) {
        el.classList.toggle("hit", match && shown <= limit);
      } else {
        el.hidden = !match;
      }
    });
    if (list) { hideEmptyDays(); }
    hits.textContent = words.length ? shown + " of " + items.length + (shown > limit ? ", the first " + limit + " shown" : "") : "";
    document.body.classList.toggle("searching", words.length > 0);
    var pagers = document.querySelectorAll("a[rel=prev], a[rel=next], a.carry");
    Array.prototype.forEach.call(pagers, function (a) {
      var href = a.getAttribute("href").split("?")[0];
      a.setAttribute("href", words.length ? href + "?q=" + encodeURIComponent(input.value) : href);
    });
  }

  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 100);
  });
  input.form.addEventListener("submit", function (e) {
    e.preventDefault();
    apply();
  });
  var m = /[?&]q=([^&#]*)/.exec(location.search);
  if (m) {
    input.value = decodeURIComponent(m[1].replace(/\+/g, " "));
    apply();
  }
})();
