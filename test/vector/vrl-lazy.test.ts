/** The 12 MB VRL compiler is loaded on first need only: importing the library or validating a pipeline without VRL costs nothing. */
import { createRequire } from 'node:module';
import { expect, it } from 'vitest';
import { VectorPipeline } from '../../lib/vector';
import { isVrlCompilerLoaded } from '../../lib/vector/vrl/compiler';

const verelLoaded = () => Object.keys(createRequire(__filename).cache).some((k) => k.includes('@bpinternal/verel'));

it('loads the VRL compiler only when a pipeline with VRL is validated', () => {
  const withoutVrl = new VectorPipeline()
    .addSource('agents', { type: 'vector', address: '0.0.0.0:6000' })
    .addTransform('by_type', { type: 'route', inputs: ['agents'], route: { logs: { type: 'is_log' } } })
    .addSink('out', { type: 'blackhole', inputs: ['by_type.logs', 'by_type._unmatched'] });
  expect(withoutVrl.validate()).toEqual([]);
  expect(isVrlCompilerLoaded()).toBe(false);
  expect(verelLoaded()).toBe(false);

  withoutVrl.addTransform('tag', { type: 'remap', inputs: ['by_type.logs'], source: '.tagged = true' });
  withoutVrl.addInputs('out', 'tag');
  expect(withoutVrl.validate()).toEqual([]);
  expect(isVrlCompilerLoaded()).toBe(true);
  expect(verelLoaded()).toBe(true);
});
