// Staff page: attendance, mode, e-stop (pushes from /ws; commands by POST). Authentication arrives with the staff tablet feature.
const $ = (id) => document.getElementById(id);
const MODES = { standby: 'Chờ / Standby', reception: 'Lễ tân / Reception', guide: 'Hướng dẫn / Guide', performance: 'Biểu diễn / Performance', docking: 'Về sạc / Docking', maintenance: 'Bảo trì / Maintenance' };
const operator = 'staff';

for (const [mode, label] of Object.entries(MODES)) {
  const b = document.createElement('button');
  b.textContent = label; b.dataset.mode = mode;
  b.addEventListener('click', () => void command('/api/mode', { mode, operator }));
  $('modes').append(b);
}

async function command(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  $('command-error').textContent = res.ok ? '' : (await res.json()).error ?? `HTTP ${res.status}`;
}

$('estop').addEventListener('click', () => void command('/api/estop', { source: 'staff-page' }));
$('reset').addEventListener('click', () => void command('/api/estop/reset', { operator }));
let askedCode = null;
$('staff-confirm').addEventListener('click', () => { if (askedCode) void command('/api/staff/confirm', { code: askedCode, operator }); });
$('staff-reject').addEventListener('click', () => void command('/api/staff/reject', { operator }));

const QUESTION = {
  'face-grey-zone': (c) => c ? `Khuôn mặt giống đại biểu ${c.fullName} (${c.delegation}, ghế ${c.seat}) nhưng chưa chắc chắn. Đây có đúng là người này? / The face resembles ${c.fullName} (${c.delegation}, seat ${c.seat}) but not certainly. Is it them?` : 'Không nhận ra khuôn mặt. / Face not recognised.',
  'badge-face-mismatch': (c) => `Thẻ của ${c ? `${c.fullName} (${c.delegation}, ghế ${c.seat})` : 'một đại biểu'} nhưng khuôn mặt không khớp — có thể dùng thẻ của người khác. Kiểm tra giấy tờ. / Badge of ${c ? c.fullName : 'a delegate'} but the face does not match: possibly someone else's badge. Check ID.`,
};

function renderQuestion(q) {
  $('staff-question').hidden = !q;
  askedCode = q?.candidate?.code ?? null;
  if (!q) return;
  $('staff-question-text').textContent = QUESTION[q.reason](q.candidate);
  $('staff-confirm').disabled = !askedCode;
}

function render(view) {
  $('event-name').textContent = view.event.name.vi;
  const { present, total } = view.presence;
  $('presence').textContent = `${present}/${total} (${total ? Math.round((100 * present) / total) : 0} %)`;
  const stopped = view.statePath[0] === 'stopped';
  $('mode').textContent = stopped ? `DỪNG KHẨN CẤP / STOPPED (${view.stoppedBy})` : MODES[view.mode];
  $('state-path').textContent = view.statePath.join(' › ');
  $('reset').hidden = !stopped;
  for (const b of $('modes').children) { b.classList.toggle('active', !stopped && b.dataset.mode === view.mode); b.disabled = stopped; }
  renderQuestion(view.staffQuestion);
  const r = view.robot;
  $('robot').textContent = `x ${r.pose.x.toFixed(1)} m, y ${r.pose.y.toFixed(1)} m — ${r.speedMps.toFixed(2)} m/s — pin/battery ${Math.round(r.battery * 100)} %${r.stopped ? ' — STOPPED' : ''}`;
  $('problems').replaceChildren(...(view.problems.length ? view.problems.map((p) => { const li = document.createElement('li'); li.textContent = `[${p.severity}] ${p.id}: ${p.message} — ${p.tip}`; return li; }) : [Object.assign(document.createElement('li'), { textContent: 'Không có / None' })]));
}

function connect() {
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
  ws.onmessage = (m) => { const msg = JSON.parse(m.data); if (msg.type === 'view') render(msg.view); };
  ws.onclose = () => setTimeout(connect, 1000);
}
connect();
