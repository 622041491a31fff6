/* Unit pickers (单位选择): every <select data-picker> becomes a filter box with the chosen
   units as chips. The select stays in the form, hidden, and holds the value, so the page
   works the same without script. Keyboard: type to filter, ↓/↑ to move, Enter to choose,
   Esc to close, Backspace on an empty box removes the last chip; each chip's × is a button.
   Texts come from data-picker-* attributes of the enclosing form (translated there). */
(function () {
  var counter = 0;

  function placeholder(select) {
    return select.getAttribute("data-placeholder") || text(select, "filter", "");
  }

  function text(el, key, fallback) {
    var holder = el.closest("[data-picker-" + key + "]");
    return holder ? holder.getAttribute("data-picker-" + key) : fallback;
  }

  function optionsOf(select) {
    return Array.prototype.filter.call(select.options, function (o) { return o.value !== ""; });
  }

  function matches(option, query) {
    if (!query) return true;
    var hay = (option.text + " " + (option.getAttribute("data-search") || "")).toLowerCase();
    return query.toLowerCase().split(/\s+/).every(function (word) { return hay.indexOf(word) >= 0; });
  }

  function enhance(select) {
    if (select.dataset.pickerReady) return;
    select.dataset.pickerReady = "1";
    var multiple = select.multiple;
    var id = "unit-picker-" + (++counter);
    var root = document.createElement("div");
    root.className = "unit-picker" + (multiple ? " multiple" : " single");
    var chips = document.createElement("ul");
    chips.className = "unit-picker-chips";
    chips.setAttribute("aria-label", text(select, "chosen", "chosen"));
    var input = document.createElement("input");
    input.type = "text";
    input.className = "unit-picker-input";
    input.id = id + "-input";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id + "-list");
    input.setAttribute("autocomplete", "off");
    input.placeholder = placeholder(select);
    var list = document.createElement("ul");
    list.className = "unit-picker-list";
    list.id = id + "-list";
    list.setAttribute("role", "listbox");
    if (multiple) list.setAttribute("aria-multiselectable", "true");
    list.hidden = true;
    root.appendChild(chips);
    root.appendChild(input);
    root.appendChild(list);
    select.parentNode.insertBefore(root, select.nextSibling);
    select.hidden = true;
    select.classList.add("unit-picker-source");
    select.tabIndex = -1;
    // The <label> around the select now names the filter box.
    var label = select.closest("label");
    if (label) {
      label.htmlFor = input.id;
      label.querySelectorAll("[data-nojs-hint]").forEach(function (hint) { hint.hidden = true; });
    }
    if (label && label.firstElementChild && label.firstElementChild.tagName === "SPAN") {
      var labelId = id + "-label";
      label.firstElementChild.id = labelId;
      input.setAttribute("aria-labelledby", labelId);
    }
    var active = -1;
    var shown = [];

    function chosen() {
      return Array.prototype.filter.call(select.options, function (o) {
        return o.selected && o.value !== "";
      });
    }

    function drawChips() {
      chips.textContent = "";
      var seen = {};
      chosen().forEach(function (option) {
        if (seen[option.value]) return;
        seen[option.value] = true;
        var chip = document.createElement("li");
        chip.className = "chip" + (option.value === "new" ? " new" : "");
        chip.dataset.value = option.value;
        var name = document.createElement("span");
        name.textContent = option.text;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "chip-remove";
        remove.textContent = "×";
        remove.setAttribute("aria-label", text(select, "remove", "remove") + " " + option.text);
        remove.addEventListener("click", function () { choose(option.value, false); input.focus(); });
        chip.appendChild(name);
        chip.appendChild(remove);
        chips.appendChild(chip);
      });
      root.classList.toggle("has-value", chips.children.length > 0);
      if (!multiple) input.placeholder = chips.children.length ? "" : placeholder(select);
    }

    function drawList() {
      var query = input.value.trim();
      var seen = {};
      shown = optionsOf(select).filter(function (o) {
        if (seen[o.value] || !matches(o, query)) return false;
        seen[o.value] = true;
        return true;
      });
      list.textContent = "";
      shown.forEach(function (option, i) {
        var li = document.createElement("li");
        li.id = id + "-opt-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", option.selected ? "true" : "false");
        li.className = (option.selected ? "selected" : "") + (i === active ? " active" : "");
        var group = option.parentNode.tagName === "OPTGROUP" ? option.parentNode.label : "";
        li.textContent = option.text;
        if (group) {
          var tag = document.createElement("span");
          tag.className = "group";
          tag.textContent = group;
          li.appendChild(tag);
        }
        li.addEventListener("mousedown", function (e) { e.preventDefault(); });
        li.addEventListener("click", function () { pick(i); });
        list.appendChild(li);
      });
      if (!shown.length) {
        var none = document.createElement("li");
        none.className = "none";
        none.textContent = text(select, "none", "");
        list.appendChild(none);
      }
      input.setAttribute("aria-activedescendant", active >= 0 ? id + "-opt-" + active : "");
      var current = list.querySelector(".active");
      if (current && current.scrollIntoView) current.scrollIntoView({ block: "nearest" });
    }

    function open() {
      if (!list.hidden) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      drawList();
    }

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function choose(value, on) {
      Array.prototype.forEach.call(select.options, function (o) {
        if (o.value === value) o.selected = on;
        else if (!multiple && on) o.selected = false;
      });
      if (!multiple && !on) select.value = "";
      drawChips();
      if (!list.hidden) drawList();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function pick(i) {
      var option = shown[i];
      if (!option) return;
      choose(option.value, multiple ? !option.selected : true);
      input.value = "";
      if (multiple) {
        active = Math.min(i, shown.length - 1);
        drawList();
      } else {
        close();
      }
    }

    input.addEventListener("focus", open);
    input.addEventListener("click", open);
    input.addEventListener("blur", close);
    input.addEventListener("input", function () {
      active = input.value.trim() ? 0 : -1;
      open();
      drawList();
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        open();
        if (!shown.length) return;
        var step = e.key === "ArrowDown" ? 1 : -1;
        active = (active + step + shown.length) % shown.length;
        drawList();
      } else if (e.key === "Enter") {
        if (!list.hidden && active >= 0) {
          e.preventDefault();
          pick(active);
        } else if (!list.hidden) {
          e.preventDefault();  // Enter in the filter box never submits the form
        }
      } else if (e.key === "Escape") {
        if (!list.hidden) { e.preventDefault(); close(); }
      } else if (e.key === "Backspace" && !input.value) {
        var last = chosen().pop();
        if (last) choose(last.value, false);
      }
    });
    select.pickerRedraw = drawChips;
    drawChips();
  }

  // A 未登记 mention's 新建为/上级单位 fields matter only when 新建单位 is chosen.
  function toggleNew(select) {
    var box = select.closest(".mapping");
    var fields = box && box.querySelector("[data-new-unit]");
    if (fields) fields.hidden = select.value !== "new";
  }

  // A row of the speech page needs a lead (需指定牵头单位) until one is picked or its
  // lead mention is mapped; mapping the lead mention to a registered unit picks it as
  // lead when none is picked yet (the server does the same on confirming).
  function leadOf(row) { return row.querySelector(".field-lead select"); }

  function markLead(row) {
    var badge = row.querySelector(".needs-unit");
    if (!badge) return;
    var mapped = Array.prototype.some.call(
      row.querySelectorAll("select[data-maps][data-role=lead]"), function (s) { return s.value; });
    var lead = leadOf(row);
    badge.hidden = mapped || Boolean(lead && lead.value);
  }

  function mapLead(select) {
    var row = select.closest(".proposal-row");
    var lead = row && leadOf(row);
    if (!lead || lead.value || select.dataset.role !== "lead" || !select.value ||
        select.value === "new") return;
    lead.value = select.value;
    if (lead.pickerRedraw) lead.pickerRedraw();
    dropFromCo(lead);
  }

  // The lead unit is no co-unit of its own task (the server drops it too).
  function dropFromCo(lead) {
    var holder = lead.closest(".proposal-row") || lead.form;
    var co = holder && holder.querySelector("select[name$=co_units]");
    if (!co || !lead.value) return;
    Array.prototype.forEach.call(co.options, function (o) {
      if (o.value === lead.value) o.selected = false;
    });
    if (co.pickerRedraw) co.pickerRedraw();
  }

  function init(root) {
    root.querySelectorAll("select[data-picker]").forEach(enhance);
    root.querySelectorAll("select[data-maps]").forEach(toggleNew);
    root.querySelectorAll(".proposal-row").forEach(markLead);
  }

  document.addEventListener("change", function (e) {
    var el = e.target;
    if (!el.matches) return;
    if (el.matches("select[data-maps]")) { toggleNew(el); mapLead(el); }
    if (el.matches("select[name$=lead_unit]")) dropFromCo(el);
    var row = el.closest(".proposal-row");
    if (row) markLead(row);
  });
  document.addEventListener("DOMContentLoaded", function () { init(document); });
})();
