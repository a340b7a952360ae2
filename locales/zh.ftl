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
target-by = { $year }年 { $value }
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

## 输入有误时的提示（显示在对应字段旁）
err-not-a-number = 请输入数字，例如 1234.5 或 1,234.5
err-not-finite = 请输入实际数字，例如 1234.5；不接受 NaN 或无穷大
err-exponent = 请完整写出数字，例如 100000，而不是 1e5
err-bad-grouping = 千位分隔符只能用于每三位数字之间，例如 1,234,567.5；小数请用小数点，例如 2.5
err-percent-sign = 只有百分比指标可以带百分号；请只输入数字
err-too-large = 数字过长；总位数最多28位
err-text-too-long = 此段文字有{ $len }个字符，请缩短至{ $max }个字符以内
err-control-character = 此段文字含有不可见的控制字符；请重新输入或以纯文本粘贴
err-percent-range = 百分比须在0到100之间
err-count-whole = 数量须为整数
err-negative = 数值不能为负
err-too-many-decimals = 该指标最多保留{ $count }位小数
err-bad-username = 用户名为2至63个字符：小写字母、数字、“.”“_”或“-”，以字母或数字开头
err-password-short = 密码至少需要{ $count }个字符
err-password-long = 密码最多{ $count }个字符
err-password-common = 此密码过于常见，请选择不易猜到的密码

## 年度数据填报表与单项数据修订
entry-title = 填报{ $year }年数据
entry-year = 年份：
entry-help = 您修改或新增的每个数值均保存为草稿，经审核人员审核后才对公众发布。请注明每项数据的来源。数字可写作 <code>1,234.5</code>、使用全角数字，百分比指标可在末尾加 <code>%</code>。
entry-problems = 未保存任何内容：有{ $count }处需要修改
entry-stored-for = { $year }年已存数值：
entry-state-none = 无
entry-state-draft = 草稿
entry-state-sent-back = 已退回
entry-state-published = 已发布
entry-changed-meanwhile = 其他人已在此期间修改：
entry-stored-now = 现存数值为 { $value }（{ $by }）。
entry-conflict-help = 您填写的数值保留在下方字段中；再次提交将以您的数值替换现存数值，如要保留现存数值，请输入现存数值。
entry-value-for = { $year }年数值
entry-save-all = 将修改的数据保存为草稿
entry-programme-count = { $name }（数量）
entry-programme-counts = 项目数量
entry-sent-back-by = 由{ $who }退回：{ $comment }
entry-an-official = 审核人员
entry-no-figure = 无数据
entry-seed-file = 种子文件
entry-entered-by = 由{ $who }填报，{ $when }
entry-year-outside = 本规划不能填报{ $year }年的数据：
entry-choose-year = 请选择{ $from }年至{ $to }年之间的年份。
entry-saved = { $count ->
    [0] 没有改动，未保存任何内容。
   *[other] 已将{ $count }项数据保存为草稿，审核人员审核后发布。
}
entry-cannot-remove = 此处不能删除已存数据。如要保留，请重新输入其数值，或联系管理员。
entry-value-for-source = 请输入该来源或备注所对应的数值。
entry-source-needed = 请注明该数据的来源，例如发布该数据的统计公报。
entry-unknown-figure = 表单中的数据项（{ $key }）不属于本规划，请刷新页面。
entry-field-twice = 表单重复提交了字段 { $name }，请刷新页面后重新填报。
entry-reason-needed = 该数据已发布：请说明修订原因。
entry-conflict-notice = 您编辑期间其他人修改了该数据。您的数值保留在下方现存数值旁：再次提交即保留您的数值。
entry-none = 无
revise-title = 修订{ $name }{ $year }年数据
revise-heading = { $name }：{ $year }年数据
revise-published = 已发布：
revise-pending = 有待审核的草稿：
revise-reason = 修改原因
revise-reason-required = （必填：该数据已发布）
revise-save = 保存为草稿
action-cancel = 取消

## 草稿审核
review-none = 暂无待审核的草稿。
review-count = { $count }份草稿
review-publish-year = 发布他人填报的{ $year }年全部{ $count }份草稿
review-caption = { $year }年草稿
review-published-now = 现发布值
review-entered-by = 填报人
review-source-note = 来源与备注
review-decision = 审核决定
review-own-figure = 此数据由您本人填报，须由其他审核人员发布。
review-publish = 发布
review-comment = 给填报人的意见
review-send-back = 退回
review-published = 已发布{ $count }项数据，公开页面现已显示。
review-skipped-own = 您本人填报的{ $count }项数据留待其他审核人员发布。
review-sent-back = 已将草稿连同您的意见退回填报人。
review-changed = 您打开本页后该草稿已有变动（或已被审核），请在下方重新核对。
review-own = 此数据由您本人填报，须由其他审核人员发布。
review-comment-needed = 请说明需要修改之处，以便填报人处理。
review-not-sent-back = 草稿未退回：请填写意见。

## 修改记录
audit-title = 修改记录
audit-intro = 数据和定义的每一次修改，最新的在前：修改人、时间、修改前后的数值及原因。
audit-plan = 规划
audit-all-plans = 全部规划
audit-indicator = 指标代码
audit-filter = 筛选
audit-clear = 清除
audit-none = 没有符合条件的修改。
audit-limited = 仅显示最新的500条修改；缩小筛选范围可查看更早的记录。
audit-year-error = 请输入年份，例如 2023。

## 登录
login-intro = 填报人员和审核人员登录后填报、审核和发布数据。查看已发布的数据无需账号。
login-username = 用户名
login-password = 密码
login-paused = 该用户名登录失败次数过多。为保护账号安全，暂停登录：请15分钟后再试。
login-wrong = 用户名或密码不正确。

## 错误
error-code = 错误 { $status }。
error-home = 返回概览
error-rejected = 请求被拒绝
error-forbidden = 无权操作
error-forbidden-message = 您的账号角色不允许此操作。如有需要，请联系管理员。
error-csrf = 表单已过期
error-csrf-message = 此表单并非从本网站页面提交，或您的登录已过期。请返回并刷新页面后重新提交。
error-not-found = 页面不存在
error-not-found-message = 此地址没有页面。页面可能已移动，或链接有误。
error-unavailable = 暂时无法访问
error-unavailable-message = 暂时无法读取数据。没有任何内容丢失：请稍后再试。
error-internal = 出现错误
error-internal-message = 由于我方出错，页面无法显示。错误已记录。
error-form-too-large = 表单超过1 MiB，超出本网站可接受的上限。
error-form-unreadable = 无法读取表单。请刷新页面后重试。
resubmit-title = 尚未保存
resubmit-heading = 尚未保存：数据库暂时无法访问
resubmit-help = 您填写的内容均未丢失，全部列在下方。请稍候再提交。
resubmit-password = 为安全起见，请重新输入密码。
resubmit-again = 再次提交

## 用户
users-accounts = 账号
users-role = 角色
users-since = 创建时间
users-state = 状态
users-action = 操作
users-disabled = 已停用
users-active = 正常
users-enable = 启用 { $name }
users-disable = 停用 { $name }
users-add = 新增用户
users-full-name = 姓名（可选）
users-choose = 请选择…
users-password = 密码（至少10个字符）
users-add-button = 新增用户
users-role-error = 请选择角色。
users-taken = 该用户名已被使用。
users-not-yourself = 不能停用自己的账号：请联系其他管理员。

## 下载文件的列标题（英文版保留各列原名）
data-col-plan = 规划
data-col-indicator = 指标代码
data-col-name_en = 英文名称
data-col-name_zh = 中文名称
data-col-year = 年份
data-col-kind = 类别
data-col-value = 数值
data-col-unit = 单位
data-col-state = 状态
data-col-source = 来源
data-col-note = 备注

## 开放数据页对各列的说明
data-col-plan-meaning = 规划的标识（slug），与其网址中的一致。
data-col-plan-upload = 须为上传到的规划（或留空）。
data-col-indicator-meaning = 指标代码；项目的逐年数量为 programme:<slug>。
data-col-indicator-upload = 用于识别数据项；须为本规划的指标或项目。
data-col-name_en-meaning = 指标（或项目）的英文名称。
data-col-name_en-upload = 仅供阅读，上传时忽略。
data-col-name_zh-meaning = 中文名称。
data-col-name_zh-upload = 仅供阅读，上传时忽略。
data-col-year-meaning = 数据所属年份。
data-col-year-upload = 用于识别数据项；须在规划基期年至末年之间。
data-col-kind-meaning = actual（本地区实际值）、national_average（全国平均）或 benchmark（其他参照序列）。
data-col-kind-upload = 用于识别数据项；留空即 actual。只能修改实际值：全国平均和其他参照来自规划的种子文件，修改它们的行将被拒绝。
data-col-value-meaning = 数值，按指标保留的小数位数写出，不含千位分隔符（2.60、45000）。
data-col-value-upload = 与填报表的检查相同：百分比在0到100之间，数量为整数，小数位数不超过指标规定；接受 1,234.5、全角数字和末尾的 %。
data-col-unit-meaning = 数值的单位（% 或单位的英文名称）。
data-col-unit-upload = 仅供阅读，上传时忽略。
data-col-state-meaning = published（已发布），或 draft（待审核的草稿，仅见于登录用户下载的文件）。
data-col-state-upload = 该行所对照的现存数据；留空即 draft。修改过的行一律保存为草稿。
data-col-source-meaning = 数据的发布出处。
data-col-source-upload = 新增或修改的数据必填；最多500个字符。
data-col-note-meaning = 对数据的说明，例如“报告为超过42,000”。
data-col-note-upload = 选填；最多2,000个字符。
data-def-plan = 规划的标识。
data-def-indicator = 指标代码；项目为 programme:<slug>。
data-def-group = 指标所属的类别。
data-def-name_en = 英文名称。
data-def-name_zh = 中文名称。
data-def-unit_kind = percent、count、amount 或 rate：决定可接受的数值。
data-def-unit_en = 单位的英文名称。
data-def-unit_zh = 单位的中文名称。
data-def-decimals = 指标保留的小数位数。
data-def-direction = higher 或 lower：哪个方向更好。
data-def-nature = expected（预期性）或 binding（约束性），已知时填写。
data-def-baseline_year = 基期年份。
data-def-baseline_value = 基期值（已公布时）。
data-def-target_year = 目标年份。
data-def-target_comparator = >=、<=、= 或 >：目标的表述方式。
data-def-target_value = 目标值（规划给出时）。
data-def-definition_en = 指标的确切含义（英文）。
data-def-definition_zh = 指标的确切含义（中文）。
data-def-source = 指标（或项目）本身的出处。
data-def-confidence = high、medium 或 low（高、中、低）。
data-def-baseline_source = 基期值的出处。
data-def-target_source = 目标值的出处。

## 上传与订阅
upload-too-large = 文件超过10 MiB，超出上传上限。请分批上传较少指标或年份的数据。
upload-cancelled = 已取消上传：未保存任何内容。
upload-unreadable-file = 无法读取文件：{ $error }。
upload-unreadable = 无法读取上传内容。请刷新页面后重新选择文件。
upload-choose = 请选择要上传的文件。
upload-empty = 文件为空。
upload-rows-refused = 此文件的内容均未保存：有{ $count }行被拒绝。请在文件中修改后重新上传。
upload-bad-layout = 此文件的内容均未保存：文件格式与下载文件不一致。
upload-nothing = 每一行均与现存数据相同：没有需要保存的内容。
upload-gone = 此次上传已不在等待确认：已保存、已取消，或已超过一小时失效。请重新上传文件。
upload-confirm = 尚未保存任何内容。确认后将{ $new }项新增和{ $changed }项修改的数据保存为草稿，也可取消。
upload-kept-until = 此预览保留至 { $time }。
upload-changed-since = 预览生成后，他人修改了该数据。
upload-conflicts = 未保存任何内容：预览生成后有{ $count }项数据被他人修改（见下方标注）。请重新上传文件，与当前数据比对。
feed-title = { $plan }：新发布的数据
feed-published = { $date }发布。
feed-source = 来源：{ $source }。
feed-note = 备注：{ $note }

## 开放数据页与上传预览
data-intro = 本规划全部已发布数据，可免费下载和再利用，提供三种格式。文件中的数据与页面一致：每项均含年份、类别、来源及备注。
data-downloads = 下载
data-files-caption = 整个规划的数据文件
data-format = 格式
data-holds = 内容
data-published = 已发布数据
data-with-drafts = 含草稿
data-csv = 每项数据一行，各列见下文。UTF-8 编码并带字节顺序标记，电子表格软件可正确显示中文。标题行使用下载页面的语言；上传时两种语言均可。
data-file-with-drafts = { $file }（含草稿）
data-xlsx = 两个工作表：<code>figures</code>（列同上）和 <code>indicators</code>（定义，含单位、目标及来源）。
data-json = 规划的定义和全部数据合为一个文档（见下文说明）。
data-drafts-note = 含草稿的文件仅供登录用户下载：草稿行的 <code>state</code> 列（及 JSON 中）为 <code>draft</code>，尚未经审核。
data-one-indicator = 按指标下载
data-follow = 订阅本规划与使用接口
data-feed = 新发布数据的 Atom 订阅
data-feed-help = ：添加到订阅阅读器，每有数据发布即可获知。
data-api-docs = JSON 接口文档
data-api-help = ，与 <a href="/api/openapi.json">/api/openapi.json</a>（OpenAPI 3.1）出自同一描述。
data-columns-h = CSV 及 <code>figures</code> 工作表的各列
data-columns-intro = 每项数据一行。一项数据是某指标（或某项目）某一年份、某一类别的数值；登录用户下载的文件中可同时包含其已发布值和草稿。
data-columns-caption = 数据表各列
data-column = 列
data-meaning = 含义
data-in-upload = 上传时
data-xlsx-values = XLSX 中的数值为数字格式，按指标的小数位数显示（位数超出电子表格数字精度的数值以文本写出，保留全部位数）。
data-indicators-sheet = <code>indicators</code> 工作表
data-json-h = JSON 文档
data-json-help = 。规划、类别、指标和项目的字段与规划的种子文件相同；数值为保留精确位数的 JSON 数字；未知值为 <code>null</code>。文档每次写法相同，数据未变时两次导出完全一致。
data-upload-h = 从电子表格上传数据
data-upload-help = 下载 CSV 或 XLSX（含草稿），在电子表格软件中修改或新增数据，保留标题行和各列，然后上传文件。在您查看预览中的每一行并确认之前，不会保存任何内容；确认后，每项新增或修改的数据保存为草稿，由审核人员审核。只能修改实际值和项目数量。
data-file = 文件（CSV 或 XLSX，最大10 MiB）
data-file-hint = 格式同下载文件：各列如上，每项数据一行。
data-check = 检查文件
data-cli-1 = 在服务器上可用以下命令完成同样操作：
data-cli-2 = ；
data-cli-3 = 导出全部数据（含草稿）。
preview-title = 上传预览
preview-bad-layout = 无法保存：文件格式与下载文件不一致
preview-rows-to-fix = 无法保存：有{ $count }行需要修改
preview-row = 第{ $line }行
preview-new = 新增
preview-changed = 修改
preview-unchanged = 未变
preview-refused = 拒绝
preview-save = 将{ $count }项数据保存为草稿
preview-cancel = 取消：不保存任何内容
preview-back = 返回上传表单
preview-caption = 文件的每一行及其保存结果
preview-row-col = 行
preview-state = 文件中的状态
preview-outcome = 结果
preview-stored = 现存数值
preview-in-file = 文件中的数值
preview-status-new = 新增
preview-status-changed = 修改
preview-status-unchanged = 未变
preview-status-refused = 拒绝
preview-status-conflict = 冲突

## 接口文档
api-docs-title = 接口文档
api-docs-meta = 版本 { $version } · 以 OpenAPI { $openapi } 描述于 <a href="/api/openapi.json">/api/openapi.json</a>，本页即据此生成。
api-docs-english = 接口本身的说明为英文。
api-paths = 路径
api-example = 示例：
api-parameters = 参数
api-in = 位置
api-type = 类型
api-required = 必填
api-example-col = 示例
api-yes = 是
api-no = 否
api-responses = 响应
api-body = 响应体（JSON）
api-schemas = 数据结构
api-fields-of = { $name }的字段
api-field = 字段

## 上传文件的检查
check-unnamed-column = 第{ $column }列有数值，但标题行中没有列名。
check-unknown-column = 未知列“{ $name }”。可用的列为：{ $known }。
check-column-twice = 列“{ $name }”出现了两次。
check-column-missing = 缺少列“{ $name }”。请保留下载文件的标题行：{ $known }。
check-other-plan = 此行属于规划“{ $plan }”，而非本规划（“{ $this }”）。
check-no-indicator = 指标代码列为空。
check-unknown-indicator = 本规划中没有指标或项目“{ $code }”；请使用下载文件中的代码。
check-year-outside = { $year }年不在本规划范围内：请填写{ $from }年至{ $to }年之间的年份。
check-not-a-year = “{ $year }”不是年份：请写成整数，例如 2024。
check-bad-kind = 类别“{ $kind }”不是 actual、national_average、benchmark 之一。
check-programme-kind = 项目数量的类别一律为 actual。
check-bad-state = 状态“{ $state }”不是 published 或 draft（也可留空）。
check-value = 数值“{ $value }”：{ $error }。
check-source = 来源：{ $error }。
check-note = 备注：{ $error }。
check-duplicate = 重复行：第{ $first }行已给出该数据（{ $figure }）。
check-empty-stored = 数值为空：上传不能删除已存数据。请填写其数值，或删除此行。
check-empty = 数值为空：请填写数值，或删除此行。
check-not-actual = 全国平均和其他参照来自规划的种子文件：不能通过上传修改。
check-draft-waiting = 该数据有一份草稿（{ $draft }）正在等待审核：请改为修改其草稿行，以免草稿在未经查看的情况下被覆盖。
check-source-needed = 来源：请注明该数据的来源，例如发布该数据的统计公报。
check-changed-twice = 第{ $first }行已修改该数据；每项数据只保留一行。
