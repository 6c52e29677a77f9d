// Cascade's try-it page: uploads photos to POST /api/v1/classify and shows each final result.
// Results are the one result schema (proto3 JSON of cascade.v1.Result): fields at their default (0, "", false) are
// left out, so numbers are read with `?? 0`.
const results = document.getElementById('results');
const template = document.getElementById('card');

function verdictText(r) {
  if (r.state === 'FAILED') return { text: `error: ${r.errorCode}`, css: 'failed' };
  if (r.state === 'TIMED_OUT') return { text: 'timed out', css: 'failed' };
  if (r.verdict === 'NO_OBJECT') return { text: 'no bear', css: 'no-object' };
  if (r.verdict === 'UNKNOWN') return { text: 'unknown bear', css: 'unknown' };
  return { text: r.label, css: 'label' };
}

function bar(name, score, threshold) {
  const row = document.createElement('div');
  row.className = 'bar';
  row.dataset.label = name;
  row.innerHTML = `<span class="name"></span><span class="track"><span class="fill"></span><span class="threshold"></span></span><span class="value"></span>`;
  row.querySelector('.name').textContent = name;
  row.querySelector('.fill').style.width = `${(score * 100).toFixed(1)}%`;
  row.querySelector('.threshold').style.left = `${(threshold * 100).toFixed(1)}%`;
  row.querySelector('.value').textContent = score.toFixed(3);
  return row;
}

function render(card, r) {
  const verdict = verdictText(r);
  const heading = card.querySelector('.verdict');
  heading.textContent = verdict.text;
  heading.className = `verdict ${verdict.css}`;
  const gate = card.querySelector('.gate');
  gate.replaceChildren();
  if (r.gate) gate.appendChild(bar('bear?', r.gate.score ?? 0, r.gate.threshold ?? 0));
  const scores = card.querySelector('.scores');
  scores.replaceChildren(...(r.classifier ? r.classifier.scores.map(s => bar(s.label, s.score ?? 0, s.threshold ?? 0)) : []));
  const parts = [];
  if (r.gate) parts.push(`gate ${(r.gate.timing?.stageMs ?? 0).toFixed(1)} ms`);
  if (r.classifier) parts.push(`classifier ${(r.classifier.timing?.stageMs ?? 0).toFixed(1)} ms`);
  parts.push(`total ${(r.totalMs ?? 0).toFixed(1)} ms`);
  card.querySelector('.timings').textContent = parts.join(' · ') + (r.errorMessage ? ` · ${r.errorMessage}` : '');
}

// Names of this page's own uploads by submission id, for the live table (the server never gets them).
const names = new Map();

async function classify(file) {
  const card = template.content.firstElementChild.cloneNode(true);
  card.querySelector('.thumb').src = URL.createObjectURL(file);
  card.querySelector('.thumb').alt = file.name;
  card.querySelector('.file').textContent = file.name;
  card.dataset.file = file.name;
  results.prepend(card);
  const form = new FormData();
  form.append('image', file);
  try {
    const response = await fetch('/api/v1/classify', { method: 'POST', body: form });
    const body = await response.json();
    // Errors are problem details: the stable code, then what went wrong.
    if (!response.ok) throw new Error(body.code ? `${body.code}: ${body.detail}` : body.detail || response.statusText);
    names.set(body.submissionId, file.name);
    render(card, body);
  } catch (error) {
    card.querySelector('.verdict').textContent = `error: ${error.message}`;
    card.querySelector('.verdict').className = 'verdict failed';
  }
  card.dataset.done = 'true';
}

document.getElementById('files').addEventListener('change', e => [...e.target.files].forEach(classify));
const drop = document.getElementById('drop');
drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', e => { e.preventDefault(); drop.classList.remove('over'); [...e.dataTransfer.files].forEach(classify); });

async function refreshRecent() {
  try {
    const response = await fetch('/api/v1/results?recent=20');
    if (!response.ok) return;
    const rows = (await response.json()).map(r => {
      const tr = document.createElement('tr');
      const gate = r.gate ? `${(r.gate.score ?? 0).toFixed(3)} / ${(r.gate.threshold ?? 0).toFixed(2)}` : '';
      [new Date(r.completeTime).toLocaleTimeString(), names.get(r.submissionId) ?? r.clientRequestId ?? '', verdictText(r).text, gate, (r.totalMs ?? 0).toFixed(1)].forEach(v => {
        const td = document.createElement('td');
        td.textContent = v;
        tr.appendChild(td);
      });
      return tr;
    });
    document.querySelector('#recent tbody').replaceChildren(...rows);
  } catch { /* the next poll retries */ }
}
refreshRecent();
setInterval(refreshRecent, 2000);
