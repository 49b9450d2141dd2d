Page({
  data: { message: '预约查询功能即将开放' },
});
