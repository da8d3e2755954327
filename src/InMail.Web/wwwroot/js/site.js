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
        // The cost does not depend on the files: never upload them on every keystroke.
        form.querySelectorAll("input[type=file]").forEach(input => body.delete(input.name));
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
        if (answer.coach) {
            showFindings(form.querySelector("[data-findings]"), answer.coach, nothingToChange);
        }
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

// The coach's findings (SPEC §10), as the server gives them: advice in bold, the seed it comes from below.
function showFindings(list, findings, clean) {
    if (!list) {
        return;
    }
    list.replaceChildren(...(findings.length === 0 && clean ? [clean] : findings).map(f => {
        if (f === clean) {
            const li = document.createElement("li");
            li.className = "good";
            li.textContent = clean;
            return li;
        }
        const li = document.createElement("li");
        li.dataset.code = f.code;
        const advice = document.createElement("strong");
        advice.textContent = f.advice;
        const source = document.createElement("span");
        source.className = "muted";
        source.textContent = f.source;
        li.append(advice, " ", source);
        return li;
    }));
}

const nothingToChange = "Nothing to change: short, personal, one clear ask.";

// The template editor's preview: rendered for the chosen recipient and coached, while the member types.
function templatePreview(form) {
    const panel = document.querySelector("[data-preview]");
    let timer = 0;
    let asked = 0;
    const ask = async () => {
        const mine = ++asked;
        let answer;
        try {
            const response = await fetch("?handler=Render", { method: "POST", body: new FormData(form), headers: { Accept: "application/json" } });
            if (!response.ok) {
                return;
            }
            answer = await response.json();
        } catch {
            return;
        }
        if (mine !== asked || !answer) {
            return;
        }
        panel.querySelector("[data-preview-recipient]").textContent = answer.recipient || "they";
        const refusal = panel.querySelector("[data-preview-refusal]");
        refusal.hidden = !answer.code;
        panel.querySelector("[data-preview-message]").textContent = answer.message || "";
        panel.querySelector("[data-preview-code]").textContent = answer.code ? `(${answer.code})` : "";
        panel.querySelector("[data-preview-subject]").textContent = answer.subject || "";
        panel.querySelector("[data-preview-body]").textContent = answer.body || "";
        showFindings(panel.querySelector("[data-findings]"), answer.findings || [], answer.code || !answer.body ? null : nothingToChange);
    };
    const later = () => {
        clearTimeout(timer);
        timer = setTimeout(ask, 300);
    };
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("submit", () => clearTimeout(timer));
}

document.querySelectorAll("[data-max]").forEach(counter);
document.querySelectorAll("form[data-template-preview]").forEach(templatePreview);
document.querySelectorAll("form[data-quote]").forEach(livePreview);

// What the member has not read (SPEC §11), kept current without a reload: the tab's title, the inbox link
// and the bell. One cheap read every 30 seconds while the tab is visible, none while it is hidden, and
// none at all once the answer says the member is signed out. Returns the function that asks now.
function liveCounts(url) {
    const every = 30_000;
    const base = document.title.replace(/^\(\d+\) /, "");
    const inbox = document.querySelector("[data-count='conversations']");
    const bell = document.querySelector("[data-count='notifications']");
    let timer = 0;
    let asking = false;
    let stopped = false;
    const show = counts => {
        const conversations = Number(counts.unreadConversations) || 0;
        const notifications = Number(counts.unreadNotifications) || 0;
        const total = conversations + notifications;
        document.title = total > 0 ? `(${total}) ${base}` : base;
        if (inbox) {
            inbox.textContent = conversations > 0 ? ` (${conversations} unread)` : "";
        }
        if (bell) {
            bell.setAttribute("aria-label", notifications > 0 ? `Notifications (${notifications} unread)` : "Notifications");
            const badge = bell.querySelector(".badge");
            badge.textContent = String(notifications);
            badge.hidden = notifications === 0;
        }
    };
    const later = () => {
        clearTimeout(timer);
        timer = !stopped && document.visibilityState === "visible" ? setTimeout(ask, every) : 0;
    };
    const ask = async () => {
        if (asking || stopped) {
            return;
        }
        asking = true;
        try {
            const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
            if (response.status === 401 || response.status === 403) {
                stopped = true; // signed out (here or in another tab): nothing more to ask
            } else if (response.ok) {
                show(await response.json());
            }
        } catch {
            // offline for a moment: the next turn asks again
        } finally {
            asking = false;
            later();
        }
    };
    document.addEventListener("visibilitychange", () => {
        if (document.visibilityState === "visible") {
            ask(); // back on the tab: now, then every 30 seconds
        } else {
            clearTimeout(timer);
            timer = 0;
        }
    });
    later();
    return ask;
}

if (document.body.dataset.counts) {
    window.inmailCounts = liveCounts(document.body.dataset.counts);
}

// Keyboard shortcuts of the inbox and a conversation (SPEC §11): each finds a visible button, link, box or menu
// marked data-shortcut and uses it, so nothing here does what the page cannot do without the script. None fires
// while the member types in a box or holds Ctrl, Alt or Meta.
function shortcuts(dialog) {
    const list = document.querySelector("ul.conversations");
    const rows = list ? Array.from(list.children).filter(li => li.dataset.with) : [];
    let selected = -1;
    const mark = n => {
        selected = n;
        rows.forEach((row, m) => row.classList.toggle("selected", m === n));
    };
    const select = n => {
        if (rows.length === 0) {
            return;
        }
        mark(Math.max(0, Math.min(rows.length - 1, n)));
        rows[selected].querySelector("a").focus();
    };
    rows.forEach((row, n) => row.addEventListener("focusin", () => mark(n)));
    // On the inbox a row's actions need a selected row; on a conversation the page's own.
    const find = key => rows.length > 0
        ? (selected >= 0 ? rows[selected].querySelector(`[data-shortcut="${key}"]`) : null)
        : document.querySelector(`[data-shortcut="${key}"]`);
    const use = target => {
        if (!target) {
            return;
        }
        if (target.tagName === "DETAILS") {
            target.open = true;
            target.querySelector("input:not([type=hidden]), button, select")?.focus();
        } else if (target.matches("input, textarea, select")) {
            target.focus();
        } else {
            target.click();
        }
    };
    const help = document.querySelector("[data-shortcut='?']");
    help.hidden = false;
    help.addEventListener("click", () => dialog.showModal());
    document.addEventListener("keydown", event => {
        if (event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented || dialog.open) {
            return;
        }
        const typing = event.target instanceof Element && event.target.closest("input, textarea, select, [contenteditable]");
        if (event.key === "Escape") {
            // Closes the menu the focus is in, and gives the focus back to its button.
            const menu = event.target instanceof Element ? event.target.closest("details[open]") : null;
            if (menu) {
                menu.open = false;
                menu.querySelector("summary").focus();
                event.preventDefault();
            }
            return;
        }
        if (typing) {
            return;
        }
        const key = event.key;
        if (key === "j" || key === "k") {
            select(selected < 0 ? 0 : selected + (key === "j" ? 1 : -1));
        } else if (key === "Enter") {
            const active = document.activeElement;
            if (selected < 0 || (active && active !== document.body && active.matches("a, button, summary, input, textarea, select"))) {
                return; // the focused link or button does what Enter does
            }
            rows[selected].querySelector("a").click();
        } else if (key === "?") {
            dialog.showModal();
        } else if (["e", "l", "h", "r", "/", "c"].includes(key)) {
            const target = key === "c" || key === "/" ? document.querySelector(`[data-shortcut="${key}"]`) : find(key);
            if (!target) {
                return;
            }
            use(target);
        } else {
            return;
        }
        event.preventDefault();
    });
}

document.querySelectorAll("dialog[data-shortcuts]").forEach(shortcuts);

// A printed Results page shows every chart's table: open them before printing.
window.addEventListener("beforeprint", () => {
    document.querySelectorAll("details.chart-data").forEach(d => { d.open = true; });
});
