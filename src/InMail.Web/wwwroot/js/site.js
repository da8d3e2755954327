// InMail's pages work without this script; it adds live character counters and the compose page's
// cost preview while typing (decision 005). It only ever writes text with textContent.
"use strict";

const segmenter = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

// Characters as the rules count them: user-perceived characters (SPEC §5).
function length(text) {
    if (!segmenter) {
        return Array.from(text).length;
    }
    let n = 0;
    for (const _ of segmenter.segment(text)) {
        n++;
    }
    return n;
}

const counters = new WeakMap();

function counter(field) {
    const out = document.getElementById(field.id + "-count");
    if (!out) {
        return;
    }
    const update = () => {
        const max = Number(field.dataset.max || 0);
        const used = length(field.value);
        out.textContent = max > 0 ? `${used} / ${max}` : `${used}`;
        out.classList.toggle("over", max > 0 && used > max);
    };
    field.addEventListener("input", update);
    counters.set(field, update);
    update();
}

function livePreview(form) {
    const cost = form.querySelector("[data-cost]");
    const steps = form.querySelector("[data-steps]");
    const preview = cost.closest(".preview");
    const subject = form.querySelector("[data-subject]");
    const subjectRule = form.querySelector("[data-subject-rule]");
    let timer = 0;
    let asked = 0;
    const ask = async () => {
        const mine = ++asked;
        const body = new FormData(form);
        let answer;
        try {
            const response = await fetch("?handler=Quote", { method: "POST", body, headers: { Accept: "application/json" } });
            if (!response.ok) {
                return;
            }
            answer = await response.json();
        } catch {
            return; // the server-rendered preview and the send's own check still hold
        }
        if (mine !== asked || !answer) {
            return;
        }
        cost.textContent = answer.text;
        preview.className = "preview " + (answer.code ? "refused" : answer.free ? "free" : "paid");
        steps.replaceChildren(...answer.steps.map(s => {
            const a = document.createElement("a");
            a.href = s.href;
            a.textContent = s.text;
            return a;
        }));
        subject.hidden = !answer.subjectShown;
        subjectRule.textContent = answer.subjectRequired ? "(required)" : "(optional)";
        form.querySelector("#subject").dataset.max = answer.subjectMax;
        form.querySelector("#body").dataset.max = answer.bodyMax;
        form.querySelectorAll("[data-max]").forEach(f => counters.get(f)?.());
    };
    let sending = false;
    form.addEventListener("input", () => {
        clearTimeout(timer);
        if (!sending) {
            timer = setTimeout(ask, 300);
        }
    });
    form.addEventListener("submit", () => {
        // Once the form goes, no preview is asked for any more: its answer would arrive on the next page.
        sending = true;
        clearTimeout(timer);
    });
}

// A form that cannot be taken back asks first (without the script it just goes).
document.querySelectorAll("form[data-confirm]").forEach(form => form.addEventListener("submit", event => {
    if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
    }
}));

document.querySelectorAll("[data-max]").forEach(counter);
document.querySelectorAll("form[data-quote]").forEach(livePreview);
