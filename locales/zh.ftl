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

## 进展状态（接口中的代码两种语言相同）
status-target_achieved = 已达到目标
status-target_achieved-meaning = 最新数值已达到或超过目标值。
status-substantial_progress = 进展顺利
status-substantial_progress-meaning = 增速达到实现目标所需增速的95%及以上（无目标时：年均1.5%及以上）。
status-moderate_progress = 需加快进度
status-moderate_progress-meaning = 增速为实现目标所需增速的60%至95%（无目标时：年均0.5%至1.5%）。
status-limited_progress = 进展有限
status-limited_progress-meaning = 增速不足实现目标所需增速的60%（无目标时：年均不足0.5%）。
status-deterioration = 偏离目标
status-deterioration-meaning = 数值正在偏离目标。
status-not_available = 数据不足
status-not_available-meaning = 至少需要两个可比数值才能评判进展。
basis-target = 对照目标
basis-trend = 仅看趋势：未公布目标

## 数值及其说明
value-not-published = 未公布
value-no-data = 暂无数据
target-by = { $year }年{ $value }
plan-issued = { $date }印发
plan-published = { $date }公开
years-national-note = 全国平均：{ $note }
confidence-high = 高
confidence-medium = 中
confidence-low = 低
state-draft = 草稿
state-published = 已发布
kind-actual = 实际值
kind-national_average = 全国平均
kind-benchmark = 其他参照
direction-higher = 越高越好
direction-lower = 越低越好
nature-expected = 预期性
nature-binding = 约束性
nature-none = 现有资料未说明
item-planned = 规划中
item-building = 建设中
item-operating = 已运行
item-dropped = 已取消
item-not-reported = 未报告
programme-no-target = 无数量目标
programme-no-count = 尚未报告数量

## 修改记录
history-entered = 填报
history-revised = 修订
history-published = 发布
history-sent-back = 退回
history-definition-created = 新建定义（{ $entity }）
history-definition-changed = 修改定义（{ $entity }）
history-caption = 修改记录，最新的在前
history-when = 时间
history-who = 操作人
history-what = 内容
history-figure = 数据项
history-year = 年份
history-before = 修改前
history-after = 修改后
history-reason = 原因
provenance-indicator = 指标
provenance-baseline = 基期值
provenance-target = 目标值
provenance-confidence = 可信度：{ $level }

## 概览与规划列表
plan-period = 规划期 { $period } · 基期年 { $year }年
overview-other-plans = 其他规划
overview-all-plans = 全部{ $count }个规划
overview-glance = 进展概况
overview-judged = 共{ $count }项指标，依据已发布数据，采用<a href="/methodology">Open SDG 进展评估方法</a>评判。
overview-caption = “{ $group }”下的指标
overview-programmes = 重大工程与项目
overview-programme-line = 目标：{ $target } · 最新：{ $latest }
overview-all-programmes = 全部项目详情
plans-default = 首页显示
count-items = { $count }项
col-indicator = 指标
col-baseline = 基期值
col-latest = 最新值
col-target = 目标值
col-way-covered = 完成进度
col-status = 状态

## 指标页
col-actual = 实际值
col-national = 全国平均
col-source = 来源
col-confidence = 可信度
col-note = 备注
sentence-end = 。
ind-progress = 进展
ind-base-used = 计算所用基数
ind-latest-published = 最新发布值
ind-cagr = 至今年均增长率（CAGR）
ind-required = 实现目标所需年均增长率
ind-ratio = 两者之比（R）
ind-share = 从基期到目标已完成的比例
ind-projected = 按当前速度的预计值
ind-projected-for = 按当前速度预计{ $year }年
ind-how-computed = 计算方法见<a href="/methodology">评估方法</a>。
ind-chart = 图表
chart-actual-values = 实际值
chart-and-required = 、实现目标所需路径
chart-and-national = 及全国平均
chart-same-figures = 下表列有相同数据。
chart-national-point = 全国平均 { $value }
chart-actual-point = 实际值 { $value }
chart-baseline-point = 基期值 { $value }
chart-target-point = 目标值 { $value }
chart-key-actual = 实际值（已发布）
chart-key-required = 实现目标所需路径
ind-no-figures = 该指标尚未发布数据。
ind-years = 逐年数据
ind-years-caption = { $name }逐年已发布数据
ind-download = 下载
ind-download-as = 本指标数据：
ind-download-or = 或
ind-download-drafts = ；含草稿（已标注）：
ind-download-more = 。全部数据、各列含义、接口与订阅：
ind-revise = 新增或修订数据
ind-revise-help = 选择年份：数据保存为草稿，由审核人员审核。
ind-history = 数据修改记录
ind-no-history = 尚无修改记录。
ind-definition = 定义与来源
def-unit = 单位
def-decimals = ，保留{ $count }位小数
def-direction = 方向
def-nature = 属性
def-definition = 定义
def-definition-other = Definition
def-source = { $what }来源

## 重大工程与项目
prog-latest-count = 最新数量
prog-counts-from-indicator = 逐年数量即以下指标的数据：
prog-counts = 逐年数量
prog-no-counts = 尚未发布逐年数量。
prog-counts-caption = 已发布的逐年数量
prog-count = 数量
prog-items = 具体项目
prog-no-items = 本项目未列出具体项目。
prog-items-caption = { $name }的具体项目
item-name = 名称
item-kind = 类别
item-field = 领域
item-host = 依托单位
item-source-notes = 来源与备注

## 评估方法
method-title = 如何评判进展
method-intro = plantrack 采用各国统计部门在其可持续发展目标数据平台上公布的进展评估方法（Open SDG，由加拿大统计局开发）。以下各项均可依据各指标页上的数据手工核验。
method-values-h = 比较的两个数值
method-base = <strong>基数</strong>：规划的基期值（例如2021—2025年规划的2020年数值）。规划未公布基期值的，采用最早发布的实际值。
method-latest = <strong>最新值</strong>：最新<em>已发布</em>的实际值。草稿一律不计。
method-not-enough = 数值少于两个，或数值正负号发生变化时，无法评判进展，指标显示“数据不足”。基数或目标值为零时按0.001计算，以便计算增长率。
method-achieved = 规划设有目标且最新值已达到或超过目标（越高越好的高于目标，越低越好的低于目标，规划写明“超过”的须严格超过）时，指标显示“已达到目标”。
method-with-target-h = 有目标的指标
method-two-rates = 否则比较两个年均增长率：
method-cagr = 至今的增长，CAGR =（最新值 ÷ 基数）<sup>1 ÷（最新年份 − 基期年份）</sup> − 1；
method-required = 实现目标所需的增长，所需增长率 =（目标值 ÷ 基数）<sup>1 ÷（目标年份 − 基期年份）</sup> − 1。
method-ratio = 两者之比 R = d × CAGR ÷ |所需增长率|（越高越好时 d 为 +1，越低越好时为 −1），据此判定状态：
method-ratio-col = 比值 R
method-without-target-h = 无目标的指标
method-without-target = 规划未公布目标的，仅按趋势评判：d × CAGR 年均1.5%及以上为“进展顺利”，0.5%至1.5%为“需加快进度”，0%至0.5%为“进展有限”，低于0%为“偏离目标”。此类指标标注“仅看趋势”。
method-other-h = 其他展示的数值
method-way = <strong>完成进度</strong>：（最新值 − 基数）÷（目标值 − 基数），即从基数到目标已走过的距离占比。
method-projected = <strong>预计值</strong>：基数 ×（1 + CAGR）<sup>目标年份 − 基期年份</sup>，即按当前速度到目标年份可达到的数值。
method-all-h = 全部状态
method-codes = 状态代码即 JSON 接口中的代码（<code>progress.status</code>）。
method-sources-h = 来源与可信度
method-sources = 每项数据均注明来源及可信度（高、中、低），表示来源表述的直接程度。报告为“超过N”的数值按N存储并加注；估算值予以标注。修订后的数据在记录中保留修订前的数值。
