# plantrack 界面文字（简体中文）。此处每条消息在 en.ftl 中都有对应（有测试检查）。

## 每个页面的框架
site-skip = 跳到正文
site-nav = 网站导航
site-plans = 规划
site-methodology = 评估方法
site-open-data = 开放数据
site-api = 开放数据接口
site-enter = 填报数据
site-review = 审核草稿
site-history = 修改记录
site-users = 用户
site-sign-in = 登录
site-sign-out = 退出登录
site-language = 语言
site-feed-title = 新发布的数据
site-footer = plantrack 依据公开发布的资料展示发展规划的进展。每项数据均注明来源；进展如何评判，见<a href="/methodology">评估方法</a>。
role-official = 审核人员
role-analyst = 填报人员
role-admin = 管理员

## 计数
count-indicators = { $count }项指标
