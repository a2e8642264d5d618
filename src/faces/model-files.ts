import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { io } from '@tensorflow/tfjs-core';
import { InputError } from '../shared/errors.ts';

/** The parts of a tfjs `model.json` this loader reads. */
interface ModelJson {
  readonly modelTopology?: unknown;
  readonly format?: string;
  readonly generatedBy?: string;
  readonly convertedBy?: string | null;
  readonly signature?: unknown;
  readonly userDefinedMetadata?: Record<string, object>;
  readonly modelInitializer?: unknown;
  readonly weightsManifest?: readonly { readonly paths: readonly string[]; readonly weights: io.WeightsManifestEntry[] }[];
}

/**
 * A tfjs IOHandler that reads a converted model (`model.json` plus its weight shards) from
 * local files: tfjs has no `file://` loader without tfjs-node, and letan never downloads.
 * Fails with an InputError naming the file when it is missing or not a tfjs model.
 */
export function modelFileHandler(jsonPath: string): io.IOHandler {
  return {
    load: async (): Promise<io.ModelArtifacts> => {
      const json = await readModelJson(jsonPath);
      const manifest = json.weightsManifest ?? [];
      const shards: Uint8Array[] = [];
      for (const group of manifest) {
        for (const path of group.paths) {
          const shardPath = join(dirname(jsonPath), path);
          try {
            shards.push(await readFile(shardPath));
          } catch (err: unknown) {
            throw new InputError(`${shardPath}: cannot read the weights of ${jsonPath} (${(err as Error).message})`);
          }
        }
      }
      return {
        modelTopology: json.modelTopology as io.ModelArtifacts['modelTopology'],
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy ?? undefined,
        signature: json.signature as io.ModelArtifacts['signature'],
        userDefinedMetadata: json.userDefinedMetadata,
        modelInitializer: json.modelInitializer as io.ModelArtifacts['modelInitializer'],
        weightSpecs: manifest.flatMap((group) => group.weights),
        weightData: concat(shards),
      };
    },
  };
}

async function readModelJson(jsonPath: string): Promise<ModelJson> {
  let text: string;
  try {
    text = await readFile(jsonPath, 'utf8');
  } catch (err: unknown) {
    throw new InputError(`${jsonPath}: model file missing (${(err as Error).message}); see models/README.md`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err: unknown) {
    throw new InputError(`${jsonPath}: not JSON (${(err as Error).message}); expected a tfjs model.json`);
  }
  if (typeof parsed !== 'object' || parsed === null || !('modelTopology' in parsed) || !('weightsManifest' in parsed)) {
    throw new InputError(`${jsonPath}: expected a tfjs model.json with modelTopology and weightsManifest`);
  }
  return parsed as ModelJson;
}

function concat(parts: readonly Uint8Array[]): ArrayBuffer {
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out.buffer;
}
