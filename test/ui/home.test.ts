import { renderPage, simulate, textOf } from './support/simulate';

describe('home page', () => {
  beforeEach(() => {
    jest.clearAllMocks();
  });

  it('renders the three menu entries as Vant cells', () => {
    const { comp } = renderPage('pages/home/index');
    const cells = comp.querySelectorAll('.menu-entry');
    expect(cells.map(textOf)).toEqual([
      expect.stringContaining('窗口预约'),
      expect.stringContaining('预约查询'),
      expect.stringContaining('取消预约'),
    ]);
    expect(textOf(comp)).toContain('交警窗口预约');
  });

  it.each([
    [0, '/pages/book/index'],
    [1, '/pages/lookup/index'],
    [2, '/pages/cancel/index'],
  ])('tapping entry %i opens %s', async (index, url) => {
    const { comp } = renderPage('pages/home/index');
    // The tap lands on the cell's own row inside the Vant component, as a finger would.
    const row = comp.querySelectorAll('.menu-entry')[index]?.querySelector('.van-cell');
    if (!row) throw new Error('cell not rendered');
    row.dispatchEvent('tap');
    await simulate.sleep(0);
    expect(wx.navigateTo).toHaveBeenCalledTimes(1);
    expect(wx.navigateTo).toHaveBeenCalledWith({ url });
  });
});
