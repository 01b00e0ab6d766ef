// The donate form: show the preset amounts of the frequency and currency the donor picks.
// Without this script the form still works: the server checks any amount against the currency.
(function () {
    "use strict";
    var form = document.querySelector(".donate-form");
    var data = document.getElementById("donate-presets");
    if (!form || !data) { return; }
    var presets = JSON.parse(data.textContent);
    var group = form.querySelector("[data-amount-choices]");
    var other = document.getElementById("amount-other");
    var custom = form.querySelector("[name=custom_amount]");
    var unit = form.querySelector("[data-currency-label]");

    function selected(name) {
        var field = form.querySelector("[name=" + name + "]:checked") || form.querySelector("select[name=" + name + "]");
        return field ? field.value : "";
    }

    function redraw() {
        var frequency = selected("frequency");
        var currency = selected("currency");
        var choices = (presets[frequency] || {})[currency] || [];
        var previous = selected("amount");
        group.querySelectorAll(".choice--preset").forEach(function (node) { node.remove(); });
        choices.forEach(function (choice, index) {
            var wrapper = document.createElement("div");
            wrapper.className = "choice choice--preset";
            var input = document.createElement("input");
            input.type = "radio";
            input.name = "amount";
            input.id = "amount-" + (index + 1);
            input.value = choice.value;
            input.checked = choice.value === previous;
            var label = document.createElement("label");
            label.htmlFor = input.id;
            label.textContent = choice.label + (frequency === "monthly" ? " a month" : "");
            wrapper.appendChild(input);
            wrapper.appendChild(label);
            group.insertBefore(wrapper, other.parentNode);
        });
        if (!selected("amount")) { other.checked = true; }
        if (unit) { unit.textContent = "(" + currency + ")"; }
    }

    group.querySelectorAll(".choice").forEach(function (node) {
        if (!node.contains(other)) { node.classList.add("choice--preset"); }
    });
    form.addEventListener("change", function (event) {
        if (event.target.name === "frequency" || event.target.name === "currency") { redraw(); }
    });
    custom.addEventListener("input", function () { if (custom.value) { other.checked = true; } });

    // Once sent, the button says so and cannot be pressed again while Stripe answers (the server
    // would send a second press to the same payment page anyway). Coming back with the browser's
    // Back button shows the form as it was, button ready.
    var button = form.querySelector("[type=submit]");
    var label = button.textContent;
    form.addEventListener("submit", function () {
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
        button.textContent = "Connecting to Stripe…";
    });
    window.addEventListener("pageshow", function () {
        button.disabled = false;
        button.removeAttribute("aria-busy");
        button.textContent = label;
    });
    redraw();
}());
