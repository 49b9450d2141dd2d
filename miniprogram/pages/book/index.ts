Page({
  data: { message: '窗口预约功能即将开放' },
});
