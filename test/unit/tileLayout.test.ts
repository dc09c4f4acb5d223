import assert from 'node:assert/strict';
import fc from 'fast-check';
import { tileLayout, videoFit } from '../../client/components/tileLayout';

const gap = 8;

describe('the layout of the others’ video tiles', () => {
  it('gives one person on an upright phone most of the screen, not a strip across it', () => {
    const layout = tileLayout(1, { width: 374, height: 560 }, gap);
    assert.equal(layout.columns, 1);
    assert.equal(layout.width, 374);
    assert.ok(layout.height >= 374 * (4 / 3) - 1, `${layout.width}×${layout.height}`);
  });

  it('stacks two people on an upright phone and puts them side by side on a laptop', () => {
    assert.equal(tileLayout(2, { width: 374, height: 560 }, gap).columns, 1);
    assert.equal(tileLayout(2, { width: 1100, height: 620 }, gap).columns, 2);
  });

  it('uses a grid for three to five people on a laptop', () => {
    assert.equal(tileLayout(3, { width: 1100, height: 620 }, gap).columns, 2);
    assert.equal(tileLayout(4, { width: 1100, height: 620 }, gap).columns, 2);
    assert.equal(tileLayout(5, { width: 1100, height: 620 }, gap).columns, 3);
  });

  it('always fits the space, in tiles no narrower than 3:4 and no wider than 16:9', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 60, max: 3000 }), fc.integer({ min: 60, max: 2000 }), (count, width, height) => {
        const layout = tileLayout(count, { width, height }, gap);
        const rows = Math.ceil(count / layout.columns);
        assert.ok(layout.columns * layout.width + (layout.columns - 1) * gap <= width, 'fits across');
        assert.ok(rows * layout.height + (rows - 1) * gap <= height, 'fits down');
        const aspect = layout.width / layout.height;
        assert.ok(aspect >= 3 / 4 - 0.05 && aspect <= 16 / 9 + 0.05, `aspect ${aspect}`);
      }),
    );
  });

  it('has nothing to lay out without people or space', () => {
    assert.deepEqual(tileLayout(0, { width: 800, height: 600 }, gap), { columns: 1, width: 0, height: 0 });
    assert.deepEqual(tileLayout(2, { width: 0, height: 0 }, gap), { columns: 1, width: 0, height: 0 });
  });
});

describe('fitting a video into its tile', () => {
  it('crops the sides of a wide picture in an upright tile (people sit in the middle)', () => {
    assert.equal(videoFit(16 / 9, 3 / 4), 'cover');
  });

  it('never crops much off the top or bottom of an upright picture (heads, what is held up)', () => {
    assert.equal(videoFit(9 / 16, 16 / 9), 'contain');
    assert.equal(videoFit(3 / 4, 4 / 5), 'cover');
  });

  it('shows the whole picture when it is far wider than its tile', () => {
    assert.equal(videoFit(32 / 9, 3 / 4), 'contain');
  });
});
