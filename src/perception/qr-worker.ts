/**
 * Worker-thread entry of QrReader: decodes one frame per `decode` request. Started
 * under tsx's loader (see qr-reader.ts), so it runs from the TypeScript sources.
 */
import { parentPort } from 'node:worker_threads';
import { errorText } from '../shared/errors.ts';
import { decodeQr } from './qr-decode.ts';
import type { QrWorkerReply, QrWorkerRequest } from './qr-messages.ts';

const port = parentPort;
if (!port) throw new Error('qr-worker.ts runs only as a worker thread (QrReader starts it)');

function reply(msg: QrWorkerReply): void {
  port!.postMessage(msg);
}

port.on('message', (msg: QrWorkerRequest) => {
  switch (msg.type) {
    case 'decode': {
      try {
        const decode = decodeQr({ width: msg.width, height: msg.height, rgba: msg.rgba }, { deadlineMs: msg.deadlineMs });
        reply({ type: 'decoded', id: msg.id, decode });
      } catch (err: unknown) {
        reply({ type: 'failed', id: msg.id, message: errorText(err) });
      }
      break;
    }
    default: {
      const unknownType: never = msg.type;
      throw new Error(`qr-worker: unknown message type ${String(unknownType)}`);
    }
  }
});
/** One decode of a blank frame before `ready`, so the first real frame meets warm (JIT-compiled) code. */
function warmUp(): void {
  const width = 320;
  const height = 240;
  decodeQr({ width, height, rgba: new Uint8ClampedArray(width * height * 4).fill(255) }, { deadlineMs: 1000 });
}

warmUp();
reply({ type: 'ready' });
