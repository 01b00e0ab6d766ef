// The donate form: show the preset amounts of the frequency and currency the donor picks.
// Without this script the form still works: the server checks any amount against the currency.
(function () {
    "use strict";
    var form = document.querySelector(".donate-form");
    var data = document.getElementById("donate-presets");
    if (!form || !data) { return; }
    var presets = JSON.parse(data.textContent);
    // The button's words in the page's language; "%(amount)s" stands for the amount.
    var words = JSON.parse(document.getElementById("donate-text").textContent);
    function say(text, amount) { return text.replace("%(amount)s", amount); }
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
            label.textContent = words.every[frequency] ? say(words.every[frequency], choice.label) : choice.label;
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

    // The button names the gift as the server will read it ("Give 12,34 €"), so the donor sees
    // what will be charged before leaving for Stripe. The rules are the server's
    // (donations.currencies.Currency.to_minor); where the server would ask again, the button keeps
    // its plain label. The server decides what is charged; this only shows it.
    var button = form.querySelector("[type=submit]");
    var label = button.textContent.trim();

    // The page is one cached copy for everybody, written with the page language's marks; the server
    // reads a typed amount by the browser's language (on a translation, the browser's variant of the
    // page's language, else that language), so the script finds that language here, as the server
    // does from Accept-Language, and shows its marks.
    function readingLocale() {
        var pageLanguage = form.getAttribute("data-reading-language");
        var languages = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
        for (var i = 0; i < languages.length; i++) {
            if (languages[i] && (!pageLanguage || languages[i].split("-")[0].toLowerCase() === pageLanguage)) {
                return languages[i];
            }
        }
        return pageLanguage || "en";
    }

    function mark(locale, type, number) {
        try {
            var part = new Intl.NumberFormat(locale).formatToParts(number).filter(function (p) { return p.type === type; })[0];
            return part ? part.value : null;
        } catch (error) { return null; }
    }

    var locale = readingLocale();
    var groupMark = mark(locale, "group", 1234567) || form.getAttribute("data-group-mark");
    var decimalMark = mark(locale, "decimal", 1.5);
    if (decimalMark) {
        form.querySelectorAll("[data-decimal-mark]").forEach(function (node) { node.textContent = decimalMark; });
    }

    function grouped(digits, mark) {
        return new RegExp("^\\d{1,3}(\\" + mark + "\\d{3})*$").test(digits);
    }

    function readAmount(typed, currency) {
        var text = typed.replace(/[\s\u00a0\u202f'\u2019]/g, "").replace(/zł|[$€£¥￥]/gi, "");
        text = text.replace(new RegExp(currency, "i"), "");
        if (!/^[\d.,]+$/.test(text) || !/\d/.test(text)) { return null; }
        var last = Math.max(text.lastIndexOf("."), text.lastIndexOf(","));
        if (last < 0) { return Number(text); }
        var mark = text.charAt(last), head = text.slice(0, last), tail = text.slice(last + 1);
        var marks = text.replace(/\d/g, "");
        if (marks.indexOf(".") >= 0 && marks.indexOf(",") >= 0) {
            var other = mark === "." ? "," : ".";
            if (head.indexOf(mark) >= 0 || !grouped(head, other)) { return null; }
            return Number(head.split(other).join("") + "." + tail);
        }
        if (marks.length > 1) { return grouped(text, mark) ? Number(text.split(mark).join("")) : null; }
        if (tail.length === 3 && head && head !== "0") { return mark === groupMark ? Number(head + tail) : null; }
        return Number((head || "0") + "." + (tail || "0"));
    }

    // Covering the card fee: the gross worked out as the server does (donations.fees.FeeRate.gross),
    // in whole minor units, shown under the option and put beside the button, so the server knows
    // the donor saw what will be charged. Where the two ever differ, the server asks to confirm.
    var feeData = document.getElementById("donate-fees");
    var rates = feeData ? JSON.parse(feeData.textContent) : {};
    var cover = form.querySelector("[name=cover_fee]");
    var feeRule = form.querySelector("[data-fee-rule]");
    var feeLine = form.querySelector("[data-fee-line]");
    var feeConfirmed = form.querySelector("[data-fee-confirmed]");
    if (!feeConfirmed) {
        feeConfirmed = document.createElement("input");
        feeConfirmed.type = "hidden";
        feeConfirmed.name = "fee_confirmed";
        form.appendChild(feeConfirmed);
    }

    function showFee(money, minor, rate) {
        if (feeRule && rate) { feeRule.textContent = rate.rule; }
        if (!cover || !cover.checked || minor === null || !rate) {
            if (feeLine) { feeLine.textContent = ""; }
            if (feeConfirmed) { feeConfirmed.value = ""; }
            return minor;
        }
        var gross = Math.ceil((minor + rate.fixed) * 10000 / (10000 - rate.basis_points));
        var factor = Math.pow(10, rate.decimals);
        if (feeLine) {
            feeLine.textContent = words.fee_line.replace("%(fee)s", money.format((gross - minor) / factor))
                .replace("%(gross)s", money.format(gross / factor)).replace("%(amount)s", money.format(minor / factor));
        }
        if (feeConfirmed) { feeConfirmed.value = String(gross); }
        return gross;
    }

    function relabel() {
        var currency = selected("currency");
        var choice = selected("amount");
        var amount = choice && choice !== other.value ? Number(choice) : readAmount(custom.value, currency);
        var money;
        try {
            money = new Intl.NumberFormat(navigator.language, { style: "currency", currency: currency });
        } catch (error) { amount = null; }
        var rate = rates[currency];
        if (amount === null || !(amount > 0)) { showFee(money, null, rate); button.textContent = label; return; }
        var places = money.resolvedOptions().maximumFractionDigits;
        var scaled = amount * Math.pow(10, places);
        if (Math.abs(scaled - Math.round(scaled)) > 1e-6 || (rate && places !== rate.decimals)) {
            showFee(money, null, rate);
            button.textContent = label;
            return;
        }
        var charged = showFee(money, Math.round(scaled), rate) / Math.pow(10, places);
        var per = words.every[selected("frequency")];
        var gift = per ? say(per, money.format(charged)) : money.format(charged);
        button.textContent = say(words.give, gift);
    }

    form.addEventListener("change", relabel);
    custom.addEventListener("input", relabel);

    // Once sent, the button says so and cannot be pressed again while Stripe answers (the server
    // would send a second press to the same payment page anyway). Coming back with the browser's
    // Back button shows the form as it was, button ready.
    form.addEventListener("submit", function () {
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
        button.textContent = words.busy;
    });
    window.addEventListener("pageshow", function () {
        button.disabled = false;
        button.removeAttribute("aria-busy");
        relabel();
    });
    redraw();
    relabel();
}());
