/**
 * The workbench's worker: worker-core.ts on the worker's messages. The worker's composition root, so the one
 * file of stores/ that imports a report (the dashboard worked out off the page's thread, decision #49).
 * Requests carry an id; the answer (or the error) comes back with it, and
 * progress messages come in between. A download crosses as a Blob (a handle); other bytes are transferred,
 * not copied.
 */
import { dashboardOfLedger } from "../../reports/dashboard";
import { toWire, type Request } from "./protocol";
import { platformInflater } from "./inflate";
import { platformDeflater } from "./zip-parts";
import { workbenchHandler } from "./worker-core";
import { XLSX_TYPE } from "./protocol";

interface Scope {
  onmessage: ((e: MessageEvent<{ id: number; req: Request }>) => void) | null;
  postMessage(msg: unknown, transfer?: Transferable[]): void;
}
// In a dedicated worker `self` is the worker's scope, not the Window the DOM typings describe.
declare const self: Scope;
const scope = self;

// The fast reader inflates through the browser's DecompressionStream (no zlib here); without one, exceljs reads every file.
const inflate = platformInflater();
const handle = workbenchHandler((progress) => scope.postMessage({ progress }), {
  inflate,
  deflate: platformDeflater(),
  fast: inflate !== undefined,
  offThread: dashboardOfLedger,
});

scope.onmessage = (e) => {
  const { id, req } = e.data;
  handle(req).then(
    (result) => {
      // A download as a Blob made here: the page gets a handle, not 40 MB to copy into a Blob on its own thread.
      if (req.op === "bytes" && typeof Blob === "function" && (result instanceof ArrayBuffer || ArrayBuffer.isView(result))) {
        return scope.postMessage({ id, result: new Blob([result as Uint8Array<ArrayBuffer>], { type: XLSX_TYPE }) });
      }
      const buf = result instanceof ArrayBuffer ? result : ArrayBuffer.isView(result) ? result.buffer : undefined;
      if (buf && ArrayBuffer.isView(result) && (result.byteOffset !== 0 || result.byteLength !== buf.byteLength)) {
        // A view into a larger buffer: send only its bytes.
        const copy = (result as Uint8Array).slice();
        scope.postMessage({ id, result: copy.buffer }, [copy.buffer]);
      } else if (buf instanceof ArrayBuffer) scope.postMessage({ id, result: buf }, [buf]);
      else scope.postMessage({ id, result });
    },
    (err) => scope.postMessage({ id, error: toWire(err) }),
  );
};
