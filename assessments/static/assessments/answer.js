// The room link's answering page: identify (code or anonymous demographics), one tap per
// question, then the submission goes through a queue kept in localStorage, like the scanner's:
// sent at once when online, kept and replayed when the connection comes back. Each submission
// carries a client id made here, so a replay after a lost answer is recorded once by the server.
(function () {
  "use strict";
  const root = document.getElementById("check");
  if (!root) return;
  const check = JSON.parse(document.getElementById("check-data").textContent);
  const labels = JSON.parse(document.getElementById("check-labels").textContent);
  const language = root.dataset.language;
  const submitUrl = root.dataset.submitUrl;
  const QUEUE_KEY = "multaqa-checks-queue";
  const $ = (id) => document.getElementById(id);
  const status = $("check-status");
  let person = null;
  let answers = [];
  let index = 0;
  let shownId = null; // the submission the "done" step speaks of

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (_, key) => String(values[key]));
  }

  function localized(item) {
    if (language !== "fr" && item["text_" + language]) return item["text_" + language];
    return item.text;
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return hex.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");
  }

  function queue() {
    try {
      return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]");
    } catch (error) {
      return [];
    }
  }

  function saveQueue(items) {
    localStorage.setItem(QUEUE_KEY, JSON.stringify(items));
    const mine = items.filter((item) => item.url === submitUrl).length;
    status.textContent = mine ? fill(labels.pending, { n: mine }) : "";
  }

  function show(step) {
    for (const id of ["step-who", "step-question", "step-done"]) $(id).hidden = id !== step;
  }

  function showQuestion() {
    const question = check.questions[index];
    $("progress").textContent = fill(labels.progress, { n: index + 1, total: check.questions.length });
    $("question-text").textContent = localized(question);
    const picture = $("question-picture");
    picture.hidden = !question.picture;
    if (question.picture) picture.src = question.picture;
    $("listen").hidden = !question.audio;
    if (question.audio) $("question-audio").src = question.audio;
    const box = $("choices");
    box.replaceChildren();
    for (const choice of question.choices) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button big choice";
      button.dataset.choice = choice.id;
      if (choice.picture) {
        const image = document.createElement("img");
        image.src = choice.picture;
        image.alt = "";
        image.className = "choice-picture";
        button.append(image);
      }
      button.append(document.createTextNode(localized(choice)));
      button.addEventListener("click", () => choose(question.id, choice.id));
      box.append(button);
    }
    show("step-question");
  }

  function choose(questionId, choiceId) {
    answers.push({ question: questionId, choice: choiceId });
    index += 1;
    if (index < check.questions.length) {
      showQuestion();
      return;
    }
    const body = Object.assign(
      { client_id: newId(), answers: answers, channel: root.dataset.channel },
      person
    );
    const items = queue();
    items.push({ url: submitUrl, body: body });
    saveQueue(items);
    $("done-title").textContent = labels.done;
    $("done-text").textContent = labels.queued;
    show("step-done");
    shownId = body.client_id;
    flush();
  }

  let flushing = false;
  async function flush() {
    if (flushing) return;
    flushing = true;
    try {
      for (const item of queue()) {
        let response;
        try {
          response = await fetch(item.url, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify(item.body),
          });
        } catch (error) {
          break; // offline: keep the rest for the next try
        }
        if (response.status >= 500) break;
        // 2xx recorded; 4xx refused for good (duplicate, closed, bad code): either way done.
        saveQueue(queue().filter((other) => other.body.client_id !== item.body.client_id));
        if (item.body.client_id === shownId) {
          const result = await response.json().catch(() => ({}));
          if (response.ok) {
            $("done-title").textContent = labels.done;
            $("done-text").textContent =
              (result.status === "replayed" ? labels.replayed : labels.sent) +
              " " + fill(labels.score, { correct: result.correct, total: result.questions });
          } else {
            $("done-title").textContent = labels.refused;
            $("done-text").textContent = result.detail || "";
          }
        }
      }
    } finally {
      flushing = false;
    }
  }

  $("with-code").addEventListener("submit", (event) => {
    event.preventDefault();
    const code = $("code").value.trim();
    if (!code) {
      status.textContent = labels.code_missing;
      return;
    }
    start({ code: code });
  });

  $("without-code").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const chosen = {
      gender: form.get("gender"),
      age_band: form.get("age_band"),
      profile: form.get("profile"),
    };
    if (!chosen.gender || !chosen.age_band || !chosen.profile) {
      status.textContent = labels.demographics_missing;
      return;
    }
    start(chosen);
  });

  function start(who) {
    person = who;
    answers = [];
    index = 0;
    showQuestion();
  }

  $("listen").addEventListener("click", () => {
    const audio = $("question-audio");
    audio.currentTime = 0;
    audio.play();
  });

  $("next-person").addEventListener("click", () => {
    $("with-code").reset();
    $("without-code").reset();
    $("anonymous").open = false;
    person = null;
    show("step-who");
    $("code").focus();
  });

  window.addEventListener("online", () => flush());
  // A slow connection may never say "offline": try again now and then while answers wait.
  setInterval(() => {
    if (queue().length) flush();
  }, 20000);
  saveQueue(queue());
  flush();
})();
