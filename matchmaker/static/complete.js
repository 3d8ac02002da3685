/* Search box autocomplete (ARIA 1.2 combobox with a listbox popup). No inline script (strict CSP).
   The input names its JSON source in data-complete; texts come from data-kind-* attributes, so the
   page's language is used. Keys: Down/Up move, Enter picks, Escape closes. Without JavaScript the
   box is a plain text field. A field with data-complete-fill="NAME" picks a record instead of
   searching: the chosen item's value goes into the form's field NAME (typing again empties it) and
   the form is not submitted (the new-order form's buyer). */
(function () {
  "use strict";
  function setup(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var form = input.form;
    if (!list || !form) return;
    var items = [], active = -1, timer = null, seq = 0;
    var fill = input.getAttribute("data-complete-fill");
    var target = fill ? form.elements[fill] : null;

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(i) {
      var nodes = list.children;
      for (var n = 0; n < nodes.length; n++) {
        nodes[n].setAttribute("aria-selected", n === i ? "true" : "false");
      }
      active = i;
      if (i >= 0) input.setAttribute("aria-activedescendant", nodes[i].id);
      else input.removeAttribute("aria-activedescendant");
    }

    function pick(i) {
      var item = items[i];
      if (!item) return;
      if (target) {  // a record picked: its id in the form, its name in the box; the maker submits when ready
        target.value = item.value;
        input.value = item.text;
        close();
        return;
      }
      if (item.param) {  // a taxonomy term with its own filter: the filter, and the typed word leaves the text
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = item.param;
        hidden.value = item.value;
        form.appendChild(hidden);
        input.value = input.value.replace(/\S*$/, "").trim();
      } else {
        input.value = item.text;
      }
      close();
      form.submit();
    }

    function render(data) {
      list.innerHTML = "";
      items = data.items || [];
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = input.id + "-option-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = item.text;
        var kind = input.getAttribute("data-kind-" + item.kind);
        if (kind) {
          var tag = document.createElement("span");
          tag.className = "muted";
          tag.textContent = " · " + kind;
          li.appendChild(tag);
        }
        li.addEventListener("mousedown", function (e) { e.preventDefault(); pick(i); });
        list.appendChild(li);
      });
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        active = -1;
      } else {
        close();
      }
    }

    function fetchFor(text) {
      var mine = ++seq;
      var base = input.getAttribute("data-complete");  // may carry its own parameters (scope)
      var url = base + (base.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(text);
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (data) { if (mine === seq && input.value === text) render(data); })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      if (target) target.value = "";  // the text changed: the server resolves it again on submit
      var text = input.value;
      if (text.trim().length < 2) { close(); return; }
      timer = setTimeout(function () { fetchFor(text); }, 150);
    });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) return;
      if (e.key === "ArrowDown") { e.preventDefault(); highlight((active + 1) % items.length); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active <= 0 ? items.length - 1 : active - 1); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); pick(active); }
      else if (e.key === "Escape") { e.preventDefault(); close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var inputs = document.querySelectorAll("input[data-complete]");
    for (var i = 0; i < inputs.length; i++) setup(inputs[i]);
  });
})();
