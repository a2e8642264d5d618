// The robot's screen: renders the controller's KioskScreen (src/controller/view.ts) pushed over /ws,
// and a 2D plan of the hall with the delegate's seat and the robot. Test hook: window.__letan.
const $ = (id) => document.getElementById(id);
const state = { plan: null, mapImage: null, view: null };
const ADVICE = {
  'step-closer': ['Xin quý vị bước lại gần hơn một chút.', 'Please step a little closer.'],
  'step-back': ['Xin quý vị lùi lại một chút.', 'Please step back a little.'],
  'one-at-a-time': ['Xin mời từng người một.', 'One person at a time, please.'],
  'look-at-camera': ['Xin quý vị nhìn thẳng vào camera.', 'Please look at the camera.'],
  'hold-still': ['Xin quý vị đứng yên trong giây lát.', 'Please hold still for a moment.'],
};
window.__letan = { screen: null, highlightedSeat: null, delegateCode: null, robot: null };

const REFUSALS = {
  'forged': ['Thẻ này không hợp lệ.', 'This badge is not valid.'],
  'other-event': ['Thẻ này dành cho một sự kiện khác.', 'This badge is for another event.'],
  'revoked': ['Thẻ này đã được thay thế.', 'This badge has been replaced.'],
  'unknown-delegate': ['Không tìm thấy đại biểu trong danh sách.', 'This delegate is not on the list.'],
  'not-a-badge': ['Mã này không phải là thẻ đại biểu.', 'This code is not a delegate badge.'],
  'unsupported-version': ['Thẻ này không đọc được.', 'This badge cannot be read.'],
  'unreadable': ['Chưa đọc được thẻ.', 'The badge could not be read.'],
};
const TARGETS = { lift: ['thang máy', 'the lift'], restroom: ['nhà vệ sinh', 'the restrooms'], exit: ['lối ra', 'the exit'], 'staff-desk': ['bàn lễ tân', 'the staff desk'], stage: ['sân khấu', 'the stage'] };

function targetName(target, delegate) {
  if (target.kind === 'seat') return delegate ? [`hàng ${delegate.row}`, `row ${delegate.row}`] : ['chỗ ngồi', 'your seat'];
  if (target.kind === 'poi') return TARGETS[target.poi] ?? [target.poi, target.poi];
  return ['vị trí lễ tân', 'the reception post'];
}

function render(view) {
  state.view = view;
  const s = view.screen;
  window.__letan.screen = s.screen;
  $('event-name').textContent = view.event.name.vi;
  $('presence').textContent = `${view.presence.present}/${view.presence.total}`;
  let vi = '', en = '', delegate = null, help = false, progress = null;
  switch (s.screen) {
    case 'attract': vi = s.checkIn ? 'Mời đại biểu đưa thẻ lên trước camera' : 'Tôi có thể giúp gì cho đại biểu?'; en = s.checkIn ? 'Please hold your badge up to the camera' : 'How can I help you?'; help = !s.checkIn; break;
    case 'identifying': vi = 'Đang kiểm tra thẻ…'; en = 'Checking your badge…'; break;
    case 'greeting':
      delegate = s.delegate;
      if (s.earlier) {
        const t = new Date(s.earlier.atMs).toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit' });
        vi = `Đại biểu đã điểm danh lúc ${t}, cửa ${s.earlier.gate}`; en = `Already checked in at ${t}, entrance ${s.earlier.gate}`;
      } else { vi = 'Chào mừng đại biểu về tham dự đại hội'; en = 'Welcome to the congress'; }
      break;
    case 'help': delegate = s.delegate; help = true; vi = 'Đại biểu có cần tôi dẫn đường không?'; en = 'Shall I show you the way?'; break;
    case 'escorting': {
      delegate = s.delegate;
      const [tvi, ten] = targetName(s.target, s.delegate);
      if (s.phase === 'arrived') { vi = `Đã đến ${tvi}`; en = `This is ${ten}`; }
      else { vi = `Mời đại biểu đi theo tôi đến ${tvi}`; en = `Please follow me to ${ten}`; progress = s.progress; }
      break;
    }
    case 'refusal': [vi, en] = REFUSALS[s.reason] ?? REFUSALS.unreadable; vi += ' Xin mời đại biểu đến bàn lễ tân để được hỗ trợ.'; en += ' Please see the staff desk.'; break;
    case 'staff-called': vi = 'Xin quý vị vui lòng chờ trong giây lát, cán bộ lễ tân sẽ hỗ trợ quý vị.'; en = 'Please wait a moment; a member of staff will help you.'; break;
    case 'show-badge': vi = 'Xin quý vị vui lòng đưa thẻ đại biểu lên trước camera.'; en = 'Please hold your delegate badge up to the camera.'; break;
    case 'advice': [vi, en] = ADVICE[s.advice] ?? ADVICE['look-at-camera']; break;
    case 'returning': vi = 'Robot đang trở về vị trí lễ tân'; en = 'Returning to the reception post'; break;
    case 'stranded': vi = 'Robot cần nhân viên hỗ trợ'; en = 'The robot needs staff assistance'; break;
    case 'stopped': vi = 'Robot đã dừng khẩn cấp'; en = 'Emergency stop: the robot has stopped'; break;
    case 'unavailable': vi = 'Mời đại biểu đến bàn lễ tân'; en = 'Please see the staff desk'; break;
  }
  $('line-vi').textContent = vi;
  $('line-en').textContent = en;
  $('delegate').hidden = !delegate;
  if (delegate) {
    $('d-name').textContent = delegate.fullName;
    $('d-title').textContent = delegate.title;
    $('d-delegation').textContent = delegate.delegation;
    $('d-seat').textContent = `Ghế / Seat ${delegate.seat} — hàng / row ${delegate.row}, số / no. ${delegate.seatNumber}`;
  }
  $('help').hidden = !help;
  $('help').querySelector('[data-target="seat"]').hidden = !delegate;
  $('progress').hidden = !progress;
  if (progress) { $('progress').max = 1; $('progress').value = 1 / (1 + progress.distanceRemainingM); }
  window.__letan.highlightedSeat = delegate ? delegate.seat : null;
  window.__letan.delegateCode = delegate ? delegate.code : null;
  window.__letan.robot = view.robot.pose;
  draw();
}

function draw() {
  const canvas = $('plan');
  const ctx = canvas.getContext('2d');
  const plan = state.plan;
  if (!plan) return;
  const floor = plan.floors[0];
  const scale = Math.min(canvas.width / floor.widthM, canvas.height / floor.heightM);
  const px = (x) => (x - floor.originX) * scale;
  const py = (y) => canvas.height - (y - floor.originY) * scale;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (state.mapImage) ctx.drawImage(state.mapImage, 0, canvas.height - floor.heightM * scale, floor.widthM * scale, floor.heightM * scale);
  const seat = window.__letan.highlightedSeat;
  for (const s of plan.seats) {
    ctx.fillStyle = s.id === seat ? '#d50000' : seat ? '#bbb' : '#607d8b';
    const r = s.id === seat ? 7 : 2.5;
    ctx.beginPath(); ctx.arc(px(s.x), py(s.y), r, 0, Math.PI * 2); ctx.fill();
  }
  ctx.fillStyle = '#1a1a1a'; ctx.font = '12px sans-serif';
  for (const p of plan.pois) ctx.fillText(p.name.vi, px(p.x) + 4, py(p.y) - 4);
  const robot = state.view?.robot.pose;
  if (robot) {
    ctx.fillStyle = state.view.robot.stopped ? '#d50000' : '#1565c0';
    ctx.beginPath(); ctx.arc(px(robot.x), py(robot.y), 8, 0, Math.PI * 2); ctx.fill();
  }
}

async function post(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  return res.ok;
}

$('help').addEventListener('click', (e) => {
  const button = e.target.closest('button');
  if (!button) return;
  // Say whom the tap is for: a late tap must not send the next delegate off somewhere.
  const delegate = window.__letan.delegateCode ?? undefined;
  if (button.dataset.target) void post('/api/kiosk/escort', { target: button.dataset.target, delegate });
  else void post('/api/kiosk/done', { delegate });
});

function connect() {
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
  ws.onmessage = (m) => { const msg = JSON.parse(m.data); if (msg.type === 'view') render(msg.view); };
  ws.onclose = () => { $('line-vi').textContent = 'Mất kết nối, đang thử lại…'; $('line-en').textContent = 'Connection lost, retrying…'; setTimeout(connect, 1000); };
}

state.plan = await (await fetch('/api/venue')).json();
const img = new Image();
img.onload = () => { state.mapImage = img; draw(); };
img.src = state.plan.floors[0].mapPng;
connect();
