Page({
  data: { message: '取消预约功能即将开放' },
});
