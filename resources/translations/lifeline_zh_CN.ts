<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AlarmDetails</name>
    <message>
        <location filename="../../views/alarm_details_view.py" line="62"/>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <location filename="../../views/alarm_details_view.py" line="63"/>
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <location filename="../../views/alarm_details_view.py" line="69"/>
        <source>no limits configured</source>
        <translation>未配置限值</translation>
    </message>
    <message>
        <location filename="../../views/alarm_details_view.py" line="110"/>
        <source>Select an alarm in the queue to see its details</source>
        <translation>在告警队列中选择一条告警以查看详情</translation>
    </message>
    <message>
        <location filename="../../views/alarm_details_view.py" line="146"/>
        <source>Role: {role} (read only)</source>
        <translation>角色：{role}（只读）</translation>
    </message>
    <message>
        <location filename="../../views/alarm_details_view.py" line="148"/>
        <source>Role: {role}</source>
        <translation>角色：{role}</translation>
    </message>
    <message>
        <location filename="../../views/alarm_details_view.py" line="152"/>
        <source>bundled default</source>
        <translation>内置默认</translation>
    </message>
    <message>
        <location filename="../../views/alarm_details_view.py" line="154"/>
        <source>backend</source>
        <translation>后端</translation>
    </message>
    <message>
        <location filename="../../views/alarm_details_view.py" line="158"/>
        <source>Policy: {source}</source>
        <translation>权限策略：{source}</translation>
    </message>
    <message>
        <location filename="../../views/alarm_details_view.py" line="205"/>
        <source>no reading</source>
        <translation>无读数</translation>
    </message>
    <message>
        <location filename="../../views/alarm_details_view.py" line="218"/>
        <source>30-minute trend</source>
        <translation>30分钟趋势</translation>
    </message>
    <message>
        <location filename="../../views/alarm_details_view.py" line="224"/>
        <source>30-minute trend  ·  {sensor}</source>
        <translation>30分钟趋势  ·  {sensor}</translation>
    </message>
    <message>
        <location filename="../../views/alarm_details_view.py" line="252"/>
        <source>{value} {unit} (limit {limit} {unit})</source>
        <translation>{value} {unit}（限值 {limit} {unit}）</translation>
    </message>
    <message>
        <location filename="../../views/alarm_details_view.py" line="264"/>
        <source>unknown sensor</source>
        <translation>未知传感器</translation>
    </message>
    <message>
        <location filename="../../views/alarm_details_view.py" line="271"/>
        <source>not configured</source>
        <translation>未配置</translation>
    </message>
    <message>
        <location filename="../../views/alarm_details_view.py" line="273"/>
        <source>No guidance configured for this alarm.</source>
        <translation>该告警未配置处置指引。</translation>
    </message>
    <message>
        <location filename="../../views/alarm_details_view.py" line="283"/>
        <source>Not possible at this stage of the loop</source>
        <translation>闭环当前阶段不可执行此操作</translation>
    </message>
    <message>
        <location filename="../../views/alarm_details_view.py" line="297"/>
        <source>Role &apos;{role}&apos; may not {action} this alarm.</source>
        <translation>角色“{role}”无权{action}此告警。</translation>
    </message>
    <message>
        <location filename="../../views/alarm_details_view.py" line="309"/>
        <source>Sending {action} for {alarm}…</source>
        <translation>正在发送{action}：{alarm}…</translation>
    </message>
    <message>
        <location filename="../../views/alarm_details_view.py" line="338"/>
        <source>The backend refused {action}: {error}</source>
        <translation>后端拒绝{action}：{error}</translation>
    </message>
    <message>
        <location filename="../../views/alarm_details_view.py" line="382"/>
        <source>Export closed-loop history</source>
        <translation>导出闭环处置记录</translation>
    </message>
    <message>
        <location filename="../../views/alarm_details_view.py" line="384"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../views/alarm_details_view.py" line="397"/>
        <source>Export not saved: {error}</source>
        <translation>导出未保存：{error}</translation>
    </message>
    <message>
        <location filename="../../views/alarm_details_view.py" line="400"/>
        <source>Exported {n} steps to {path}.</source>
        <translation>已将 {n} 条处置步骤导出至 {path}。</translation>
    </message>
    <message>
        <location filename="../../views/alarm_details_view.py" line="404"/>
        <source>Exporting closed-loop history…</source>
        <translation>正在导出闭环处置记录…</translation>
    </message>
    <message>
        <location filename="../../views/alarm_details_view.py" line="406"/>
        <source>Export refused by the backend: {error}</source>
        <translation>后端拒绝导出：{error}</translation>
    </message>
    <message>
        <location filename="../../views/alarm_details_view.py" line="419"/>
        <source>A comment is required to {action} a level {level} alarm.</source>
        <translation>{action}{level}告警须填写备注。</translation>
    </message>
    <message>
        <location filename="../../views/alarm_details_view.py" line="423"/>
        <source>A comment is required to {action} alarms without a level.</source>
        <translation>{action}无等级告警须填写备注。</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_page.py" line="39"/>
        <source>Show in 3D</source>
        <translation>三维定位</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_page.py" line="43"/>
        <source>Fly the 3D view to the sensor</source>
        <translation>三维视图飞至该传感器</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_page.py" line="46"/>
        <source>Show trend</source>
        <translation>查看趋势</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_page.py" line="50"/>
        <source>Put the sensor in Live plots</source>
        <translation>将该传感器加入实时曲线</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_page.py" line="61"/>
        <source>Note / reason</source>
        <translation>备注/原因</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_page.py" line="63"/>
        <source>Required to acknowledge level I-II alarms and to shelve</source>
        <translation>确认一级、二级告警及搁置告警时必填</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_page.py" line="72"/>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_page.py" line="74"/>
        <source>How long Shelve hides the alarm</source>
        <translation>搁置后隐藏该告警的时长</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_page.py" line="89"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_page.py" line="93"/>
        <source>Save this alarm&apos;s closed-loop history from the archive</source>
        <translation>从归档中保存该告警的闭环处置记录</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_page.py" line="101"/>
        <source>Guidance</source>
        <translation>处置指引</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_page.py" line="104"/>
        <source>Actions</source>
        <translation>处置操作</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_page.py" line="127"/>
        <source>Trend, last 30 min</source>
        <translation>趋势（最近30分钟）</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_page.py" line="134"/>
        <source>Closed-loop history</source>
        <translation>闭环处置记录</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_parts.py" line="82"/>
        <source>Returned to normal</source>
        <translation>已恢复正常</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_parts.py" line="84"/>
        <source>latched</source>
        <translation>锁存</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_parts.py" line="86"/>
        <source>chattering</source>
        <translation>抖动</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_parts.py" line="88"/>
        <source>EXERCISE</source>
        <translation>演练</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_parts.py" line="92"/>
        <source>Loop: {stage}</source>
        <translation>闭环：{stage}</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_parts.py" line="101"/>
        <source>Sensor</source>
        <translation>传感器</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_parts.py" line="102"/>
        <source>Live value</source>
        <translation>实时值</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_parts.py" line="103"/>
        <source>Alarm value</source>
        <translation>报警值</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_parts.py" line="104"/>
        <source>Limits</source>
        <translation>限值</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_parts.py" line="105"/>
        <source>Raised</source>
        <translation>发生时间</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_parts.py" line="106"/>
        <source>Responsible</source>
        <translation>责任单位</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_parts.py" line="140"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_parts.py" line="141"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_parts.py" line="142"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_parts.py" line="143"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_parts.py" line="144"/>
        <source>Host</source>
        <translation>主机</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_details_parts.py" line="145"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>AlarmKpis</name>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="58"/>
        <source>{n} s</source>
        <translation>{n} 秒</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="59"/>
        <source>{n} min</source>
        <translation>{n} 分钟</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="154"/>
        <source>Alarms / 10 min</source>
        <translation>告警率</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="155"/>
        <source>per position; target ≤ 1</source>
        <translation>每席位每10分钟；目标 ≤ 1</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="159"/>
        <source>Time in flood</source>
        <translation>泛滥占比</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="160"/>
        <source>&gt; 10 in 10 min; target &lt; 1 %</source>
        <translation>10分钟内 &gt; 10 条；目标 &lt; 1%</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="164"/>
        <location filename="../../views/alarm_kpi_view.py" line="196"/>
        <source>Chattering</source>
        <translation>抖动告警</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="165"/>
        <source>≥ 3 activations in 60 s</source>
        <translation>60秒内触发 ≥ 3 次</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="169"/>
        <source>Stale</source>
        <translation>滞留告警</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="170"/>
        <source>active &gt; 24 h; target &lt; 5</source>
        <translation>持续 &gt; 24 小时；目标 &lt; 5</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="178"/>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="179"/>
        <source>Acks</source>
        <translation>确认数</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="182"/>
        <source>Mean</source>
        <translation>平均</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="183"/>
        <source>Median</source>
        <translation>中位数</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="187"/>
        <source>Most frequent alarms</source>
        <translation>最频繁告警</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="189"/>
        <source>Count</source>
        <translation>次数</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="190"/>
        <source>Share</source>
        <translation>占比</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="197"/>
        <source>In 60 s</source>
        <translation>60秒内</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="198"/>
        <source>Last</source>
        <translation>最近</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="204"/>
        <source>Stale (&gt; 24 h)</source>
        <translation>滞留</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="206"/>
        <source>Since</source>
        <translation>起始</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="207"/>
        <source>Hours</source>
        <translation>小时</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="212"/>
        <source>Ack time: level</source>
        <translation>按等级</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="215"/>
        <source>Ack time: shift</source>
        <translation>按班次</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="231"/>
        <source>Export KPIs…</source>
        <translation>导出指标…</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="269"/>
        <source>last 10 min {last} · peak {peak}</source>
        <translation>最近10分钟 {last} · 峰值 {peak}</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="321"/>
        <source>Since {start} ({minutes} min) · {alarms} alarms · {positions} position</source>
        <translation>{start} 起 {minutes} 分钟 · {alarms} 条告警 · {positions} 席位</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="326"/>
        <source>Since {start} ({minutes} min) · {alarms} alarms · {positions} positions</source>
        <translation>{start} 起 {minutes} 分钟 · {alarms} 条告警 · {positions} 席位</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="345"/>
        <source>Export alarm KPIs</source>
        <translation>导出告警指标</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="358"/>
        <source>KPIs not saved: {error}</source>
        <translation>指标未保存：{error}</translation>
    </message>
    <message>
        <location filename="../../views/alarm_kpi_view.py" line="362"/>
        <source>KPIs saved to {path}</source>
        <translation>指标已保存至 {path}</translation>
    </message>
</context>
<context>
    <name>AlarmQueue</name>
    <message>
        <location filename="../../views/alarm_queue_filters.py" line="14"/>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_filters.py" line="15"/>
        <location filename="../../views/alarm_queue_filters.py" line="46"/>
        <source>Unacknowledged</source>
        <translation>未确认</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_filters.py" line="16"/>
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_filters.py" line="17"/>
        <source>Standing</source>
        <translation>持续告警</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_filters.py" line="18"/>
        <source>Cleared, loop open</source>
        <translation>已消除、闭环未完成</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_filters.py" line="19"/>
        <source>Shelved / suppressed / OOS</source>
        <translation>搁置/设计屏蔽/停用</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_filters.py" line="25"/>
        <source>normal</source>
        <translation>标准</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_filters.py" line="26"/>
        <source>large</source>
        <translation>大</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_filters.py" line="27"/>
        <source>xlarge</source>
        <translation>特大</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_filters.py" line="28"/>
        <source>wall</source>
        <translation>大屏</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_filters.py" line="44"/>
        <source>All domains</source>
        <translation>全部专项</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_filters.py" line="45"/>
        <source>All areas</source>
        <translation>全部区域</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_filters.py" line="50"/>
        <source>Group (G)</source>
        <translation>分组 (G)</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_filters.py" line="53"/>
        <source>Group alarms by asset (automatic in a flood)</source>
        <translation>按设施分组告警（告警泛滥时自动分组）</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_filters.py" line="58"/>
        <source>Back to every asset (Esc)</source>
        <translation>返回全部设施 (Esc)</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_filters.py" line="63"/>
        <source>Text size (Ctrl++ / Ctrl+-)</source>
        <translation>字号 (Ctrl++ / Ctrl+-)</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_filters.py" line="108"/>
        <source>Asset: {asset}  ✕</source>
        <translation>设施：{asset}  ✕</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_header.py" line="37"/>
        <source>ALARMS</source>
        <translation>告警</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_header.py" line="50"/>
        <source>Silence (S)</source>
        <translation>消音 (S)</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_header.py" line="87"/>
        <source>{n} unacknowledged</source>
        <translation>{n} 条未确认</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_header.py" line="98"/>
        <source>⚠ FLOOD  {n} alarms in 10 min · grouped by asset</source>
        <translation>⚠ 告警泛滥  10分钟内 {n} 条 · 已按设施分组</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_header.py" line="102"/>
        <source>⚠ FLOOD  {n} alarms in 10 min</source>
        <translation>⚠ 告警泛滥  10分钟内 {n} 条</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_header.py" line="116"/>
        <source>New level I/II alarm</source>
        <translation>新的一级/二级告警</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_header.py" line="119"/>
        <source>{n} more alarm</source>
        <translation>新增 {n} 条告警</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_header.py" line="121"/>
        <source>{n} more alarms</source>
        <translation>新增 {n} 条告警</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_view.py" line="65"/>
        <source>Comment (required for level I and II)</source>
        <translation>备注（一级、二级告警必填）</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_view.py" line="68"/>
        <source>Ack (A)</source>
        <translation>确认 (A)</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_view.py" line="70"/>
        <source>Acknowledge the selected alarm (A or Space)</source>
        <translation>确认所选告警（A 或空格键）</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_view.py" line="73"/>
        <source>3D (L)</source>
        <translation>三维 (L)</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_view.py" line="75"/>
        <source>Show the selected alarm&apos;s sensor in the 3D view</source>
        <translation>在三维视图中显示所选告警的传感器</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_view.py" line="251"/>
        <source>Open the group (Enter) to acknowledge its alarms.</source>
        <translation>请先展开分组（回车键）再确认其中的告警。</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_view.py" line="257"/>
        <source>Select an alarm to acknowledge.</source>
        <translation>请选择要确认的告警。</translation>
    </message>
    <message>
        <location filename="../../views/alarm_queue_view.py" line="262"/>
        <source>A comment is required to acknowledge a level {level} alarm.</source>
        <translation>确认{level}告警须填写备注。</translation>
    </message>
</context>
<context>
    <name>AlarmTable</name>
    <message>
        <location filename="../../widgets/alarm_table_model.py" line="54"/>
        <location filename="../../widgets/alarm_table_model.py" line="67"/>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table_model.py" line="55"/>
        <location filename="../../widgets/alarm_table_model.py" line="68"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table_model.py" line="56"/>
        <source>1st</source>
        <translation>首发</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table_model.py" line="57"/>
        <source>Raised</source>
        <translation>发生时间</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table_model.py" line="58"/>
        <location filename="../../widgets/alarm_table_model.py" line="71"/>
        <source>Domain</source>
        <translation>专项</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table_model.py" line="59"/>
        <location filename="../../widgets/alarm_table_model.py" line="72"/>
        <source>Area</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table_model.py" line="60"/>
        <source>Sensor</source>
        <translation>传感器</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table_model.py" line="61"/>
        <source>Value</source>
        <translation>当前值</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table_model.py" line="62"/>
        <source>Limit</source>
        <translation>限值</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table_model.py" line="63"/>
        <source>Message</source>
        <translation>告警信息</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table_model.py" line="69"/>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table_model.py" line="70"/>
        <source>Newest</source>
        <translation>最新</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table_model.py" line="73"/>
        <source>Asset</source>
        <translation>设施</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table_model.py" line="76"/>
        <source>Alarms</source>
        <translation>告警</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table_model.py" line="79"/>
        <source>EXERCISE · </source>
        <translation>演练 · </translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table_model.py" line="128"/>
        <source>1ST</source>
        <translation>首发</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table_model.py" line="315"/>
        <source>First-out alarm of its burst. </source>
        <translation>本轮告警中的首发告警。</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table_model.py" line="328"/>
        <source>{n} UNACK</source>
        <translation>{n} 未确认</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_table_model.py" line="329"/>
        <source>{n} alarms on {asset} · Enter to open</source>
        <translation>{asset}：{n} 条告警 · 回车展开</translation>
    </message>
</context>
<context>
    <name>ChannelTree</name>
    <message>
        <location filename="../../widgets/channel_tree.py" line="33"/>
        <source>Search sensors (name, id, type)…</source>
        <translation>搜索传感器（名称、编号、类型）…</translation>
    </message>
</context>
<context>
    <name>DeskLayouts</name>
    <message>
        <location filename="../../console/desk_layout.py" line="161"/>
        <source>&amp;Layout</source>
        <translation>布局(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../console/desk_layout.py" line="235"/>
        <source>Preset not usable: {error}</source>
        <translation>预设不可用：{error}</translation>
    </message>
    <message>
        <location filename="../../console/desk_layout.py" line="282"/>
        <source>&amp;Operator preset</source>
        <translation>操作员预设(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../console/desk_layout.py" line="283"/>
        <source>&amp;Supervisor preset</source>
        <translation>值班长预设(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../console/desk_layout.py" line="284"/>
        <source>&amp;Trainer preset</source>
        <translation>培训员预设(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../console/desk_layout.py" line="298"/>
        <source>&amp;Save layout</source>
        <translation>保存布局(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../console/desk_layout.py" line="302"/>
        <source>&amp;Reset layout</source>
        <translation>重置布局(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../console/desk_layout.py" line="305"/>
        <source>Back to the preset this layout came from</source>
        <translation>恢复为该布局所基于的预设</translation>
    </message>
    <message>
        <location filename="../../console/desk_layout.py" line="309"/>
        <source>Save on &amp;exit</source>
        <translation>退出时保存(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../console/desk_layout.py" line="315"/>
        <source>&amp;Panels</source>
        <translation>面板(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../console/desk_layout.py" line="349"/>
        <source>Layout: {name}</source>
        <translation>布局：{name}</translation>
    </message>
    <message>
        <location filename="../../console/desk_layout.py" line="361"/>
        <source>Layout not saved: {error}</source>
        <translation>布局未保存：{error}</translation>
    </message>
    <message>
        <location filename="../../console/desk_layout.py" line="365"/>
        <source>Layout saved to {path}</source>
        <translation>布局已保存至 {path}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../console/main_window.py" line="49"/>
        <source>Lifeline Console</source>
        <translation>城市生命线监测控制台</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="63"/>
        <source>Channels</source>
        <translation>测点</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="68"/>
        <source>Live plots</source>
        <translation>实时曲线</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="73"/>
        <source>Alarm queue</source>
        <translation>告警队列</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="111"/>
        <source>Alarm details</source>
        <translation>告警详情</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="114"/>
        <source>Alarm KPIs</source>
        <translation>告警指标</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="118"/>
        <source>Summary</source>
        <translation>概览</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="268"/>
        <source>Role &apos;{role}&apos; may not acknowledge</source>
        <translation>角色“{role}”无确认权限</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="276"/>
        <source>Acknowledging {alarm}…</source>
        <translation>正在确认 {alarm}…</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="280"/>
        <source>Acknowledged {alarm}.</source>
        <translation>已确认 {alarm}。</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="290"/>
        <source>Not acknowledged: {error}</source>
        <translation>确认失败：{error}</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="302"/>
        <source>REPLAY — Lifeline Console</source>
        <translation>回放 — 城市生命线监测控制台</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="328"/>
        <source>Incidents</source>
        <translation>事件库</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="329"/>
        <source>Training score</source>
        <translation>培训评分</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="336"/>
        <source>Plots</source>
        <translation>曲线</translation>
    </message>
    <message>
        <location filename="../../console/main_window.py" line="340"/>
        <source>{title} · REPLAY</source>
        <translation>{title} · 回放</translation>
    </message>
</context>
<context>
    <name>Plots</name>
    <message>
        <location filename="../../views/plot_grid_view.py" line="11"/>
        <source>1 panel</source>
        <translation>单面板</translation>
    </message>
    <message>
        <location filename="../../views/plot_grid_view.py" line="12"/>
        <source>2 × 2</source>
        <translation>2 × 2</translation>
    </message>
    <message>
        <location filename="../../views/plot_grid_view.py" line="13"/>
        <source>3 × 3</source>
        <translation>3 × 3</translation>
    </message>
    <message>
        <location filename="../../views/plot_grid_view.py" line="14"/>
        <source>4 × 4</source>
        <translation>4 × 4</translation>
    </message>
    <message>
        <location filename="../../views/plots_view.py" line="17"/>
        <source>1 min</source>
        <translation>1 分钟</translation>
    </message>
    <message>
        <location filename="../../views/plots_view.py" line="18"/>
        <source>10 min</source>
        <translation>10 分钟</translation>
    </message>
    <message>
        <location filename="../../views/plots_view.py" line="19"/>
        <source>1 h</source>
        <translation>1 小时</translation>
    </message>
    <message>
        <location filename="../../views/plots_view.py" line="20"/>
        <source>6 h</source>
        <translation>6 小时</translation>
    </message>
    <message>
        <location filename="../../views/plots_view.py" line="21"/>
        <source>24 h</source>
        <translation>24 小时</translation>
    </message>
    <message>
        <location filename="../../views/plots_view.py" line="50"/>
        <source>Time window</source>
        <translation>时间窗口</translation>
    </message>
    <message>
        <location filename="../../views/plots_view.py" line="58"/>
        <source>Panels; a selected sensor goes to the highlighted panel</source>
        <translation>面板布局；所选传感器显示在高亮面板中</translation>
    </message>
    <message>
        <location filename="../../views/plots_view.py" line="65"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../views/plots_view.py" line="67"/>
        <source>Freeze the time axis; drag or wheel to scroll back</source>
        <translation>冻结时间轴；拖动或滚动滚轮回看</translation>
    </message>
    <message>
        <location filename="../../views/plots_view.py" line="72"/>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <location filename="../../views/plots_view.py" line="74"/>
        <source>Follow live time again</source>
        <translation>恢复跟随实时</translation>
    </message>
    <message>
        <location filename="../../views/plots_view.py" line="76"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../../views/plots_view.py" line="78"/>
        <source>Remove the curves of the highlighted panel</source>
        <translation>清除高亮面板中的曲线</translation>
    </message>
    <message>
        <location filename="../../views/plots_view.py" line="191"/>
        <source>Paused: drag or wheel to scroll in time</source>
        <translation>已暂停：拖动或滚动滚轮在时间轴上移动</translation>
    </message>
    <message>
        <location filename="../../widgets/plot_panel.py" line="12"/>
        <source>Select a sensor to plot it</source>
        <translation>选择传感器以绘制曲线</translation>
    </message>
</context>
<context>
    <name>ShortcutSheet</name>
    <message>
        <location filename="../../views/shortcut_sheet.py" line="14"/>
        <source>Alarm queue</source>
        <translation>告警队列</translation>
    </message>
    <message>
        <location filename="../../views/shortcut_sheet.py" line="16"/>
        <source>Move through the alarms</source>
        <translation>在告警间移动</translation>
    </message>
    <message>
        <location filename="../../views/shortcut_sheet.py" line="17"/>
        <source>Acknowledge the selected alarm</source>
        <translation>确认所选告警</translation>
    </message>
    <message>
        <location filename="../../views/shortcut_sheet.py" line="18"/>
        <source>Alarm details; open a flood group</source>
        <translation>告警详情；展开泛滥分组</translation>
    </message>
    <message>
        <location filename="../../views/shortcut_sheet.py" line="19"/>
        <source>Close the flood group</source>
        <translation>收起泛滥分组</translation>
    </message>
    <message>
        <location filename="../../views/shortcut_sheet.py" line="20"/>
        <source>Silence the horn</source>
        <translation>消除声响报警</translation>
    </message>
    <message>
        <location filename="../../views/shortcut_sheet.py" line="21"/>
        <source>Group a flood by asset</source>
        <translation>按设施对泛滥告警分组</translation>
    </message>
    <message>
        <location filename="../../views/shortcut_sheet.py" line="22"/>
        <source>Show the alarm&apos;s sensor in 3D</source>
        <translation>在三维中显示告警的传感器</translation>
    </message>
    <message>
        <location filename="../../views/shortcut_sheet.py" line="23"/>
        <source>Alarm text size</source>
        <translation>告警字号</translation>
    </message>
    <message>
        <location filename="../../views/shortcut_sheet.py" line="27"/>
        <source>3D view</source>
        <translation>三维视图</translation>
    </message>
    <message>
        <location filename="../../views/shortcut_sheet.py" line="29"/>
        <source>Overview of the city</source>
        <translation>城市总览</translation>
    </message>
    <message>
        <location filename="../../views/shortcut_sheet.py" line="30"/>
        <source>Next utility tunnel</source>
        <translation>下一条综合管廊</translation>
    </message>
    <message>
        <location filename="../../views/shortcut_sheet.py" line="31"/>
        <source>X-ray: see into the tunnels</source>
        <translation>透视：查看管廊内部</translation>
    </message>
    <message>
        <location filename="../../views/shortcut_sheet.py" line="32"/>
        <source>Legend on or off</source>
        <translation>显示/隐藏图例</translation>
    </message>
    <message>
        <location filename="../../views/shortcut_sheet.py" line="33"/>
        <source>Pipe colours: network or a live value</source>
        <translation>管线着色：按管网或按实时值</translation>
    </message>
    <message>
        <location filename="../../views/shortcut_sheet.py" line="37"/>
        <source>Summary tiles</source>
        <translation>概览磁贴</translation>
    </message>
    <message>
        <location filename="../../views/shortcut_sheet.py" line="39"/>
        <source>Move between tiles</source>
        <translation>在磁贴间移动</translation>
    </message>
    <message>
        <location filename="../../views/shortcut_sheet.py" line="40"/>
        <source>Open the tile&apos;s alarms</source>
        <translation>打开该磁贴的告警</translation>
    </message>
    <message>
        <location filename="../../views/shortcut_sheet.py" line="44"/>
        <source>Replay</source>
        <translation>回放</translation>
    </message>
    <message>
        <location filename="../../views/shortcut_sheet.py" line="46"/>
        <source>Play or pause</source>
        <translation>播放/暂停</translation>
    </message>
    <message>
        <location filename="../../views/shortcut_sheet.py" line="47"/>
        <source>Next / previous alarm</source>
        <translation>下一条/上一条告警</translation>
    </message>
    <message>
        <location filename="../../views/shortcut_sheet.py" line="51"/>
        <source>Console</source>
        <translation>控制台</translation>
    </message>
    <message>
        <location filename="../../views/shortcut_sheet.py" line="53"/>
        <source>This sheet (Esc closes it)</source>
        <translation>本快捷键表（按 Esc 关闭）</translation>
    </message>
    <message>
        <location filename="../../views/shortcut_sheet.py" line="54"/>
        <source>Full screen on or off</source>
        <translation>全屏开/关</translation>
    </message>
</context>
<context>
    <name>StatusView</name>
    <message>
        <location filename="../../views/status_view.py" line="14"/>
        <source>Mode: LIVE</source>
        <translation>模式：实时</translation>
    </message>
    <message>
        <location filename="../../views/status_view.py" line="15"/>
        <source>Mode: REPLAY</source>
        <translation>模式：回放</translation>
    </message>
    <message>
        <location filename="../../views/status_view.py" line="16"/>
        <source>Mode: EXERCISE</source>
        <translation>模式：演练</translation>
    </message>
    <message>
        <location filename="../../views/status_view.py" line="49"/>
        <source>{user} · {role}</source>
        <translation>{user} · {role}</translation>
    </message>
    <message>
        <location filename="../../views/status_view.py" line="76"/>
        <source>no backend</source>
        <translation>无后端</translation>
    </message>
    <message>
        <location filename="../../views/status_view.py" line="80"/>
        <source>{msgs} msg/s · {samples} samples/s</source>
        <translation>{msgs} 条消息/秒 · {samples} 个样本/秒</translation>
    </message>
    <message>
        <location filename="../../views/status_view.py" line="86"/>
        <source>{n} malformed</source>
        <translation>{n} 条格式错误</translation>
    </message>
    <message>
        <location filename="../../views/status_view.py" line="89"/>
        <source>{n} batches lost</source>
        <translation>丢失 {n} 批</translation>
    </message>
    <message>
        <location filename="../../views/status_view.py" line="92"/>
        <source>{n} samples shed</source>
        <translation>丢弃 {n} 个样本</translation>
    </message>
</context>
<context>
    <name>SummaryTiles</name>
    <message>
        <location filename="../../views/summary_tiles.py" line="38"/>
        <source>Domains</source>
        <translation>专项</translation>
    </message>
    <message>
        <location filename="../../views/summary_tiles.py" line="39"/>
        <source>Districts</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../views/summary_tiles.py" line="94"/>
        <source>OVERVIEW</source>
        <translation>总览</translation>
    </message>
    <message>
        <location filename="../../views/summary_tiles.py" line="172"/>
        <source>Unassigned</source>
        <translation>未分配</translation>
    </message>
    <message>
        <location filename="../../widgets/summary_tile.py" line="34"/>
        <source>shelved {0}</source>
        <translation>搁置 {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/summary_tile.py" line="35"/>
        <source>suppressed {0}</source>
        <translation>设计屏蔽 {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/summary_tile.py" line="36"/>
        <source>out of service {0}</source>
        <translation>停用 {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/summary_tile.py" line="37"/>
        <source>loops open {0}</source>
        <translation>闭环未完成 {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/summary_tile.py" line="40"/>
        <source>offline {0}</source>
        <translation>离线 {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/summary_tile.py" line="41"/>
        <source>bad {0}</source>
        <translation>数据异常 {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/summary_tile.py" line="93"/>
        <source>LEVEL {0}</source>
        <translation>{0}告警</translation>
    </message>
    <message>
        <location filename="../../widgets/summary_tile.py" line="95"/>
        <source>NO ACTIVE ALARMS</source>
        <translation>无活动告警</translation>
    </message>
    <message>
        <location filename="../../widgets/summary_tile.py" line="97"/>
        <source>ALL CLEAR</source>
        <translation>一切正常</translation>
    </message>
    <message>
        <location filename="../../widgets/summary_tile.py" line="100"/>
        <source>{0} UNACK</source>
        <translation>{0} 未确认</translation>
    </message>
    <message>
        <location filename="../../widgets/summary_tile.py" line="113"/>
        <source>sensors {0}</source>
        <translation>传感器 {0}</translation>
    </message>
</context>
<context>
    <name>Vocabulary</name>
    <message>
        <location filename="../../widgets/vocabulary.py" line="17"/>
        <source>▲ I</source>
        <translation>▲ 一级</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="18"/>
        <source>◆ II</source>
        <translation>◆ 二级</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="19"/>
        <source>■ III</source>
        <translation>■ 三级</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="20"/>
        <source>● IV</source>
        <translation>● 四级</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="23"/>
        <source>I</source>
        <translation>一级</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="24"/>
        <source>II</source>
        <translation>二级</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="25"/>
        <source>III</source>
        <translation>三级</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="26"/>
        <source>IV</source>
        <translation>四级</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="29"/>
        <source>Level I (red)</source>
        <translation>一级（红色）</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="30"/>
        <source>Level II (orange)</source>
        <translation>二级（橙色）</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="31"/>
        <source>Level III (yellow)</source>
        <translation>三级（黄色）</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="32"/>
        <source>Level IV (blue)</source>
        <translation>四级（蓝色）</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="35"/>
        <source>UNACK</source>
        <translation>未确认</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="36"/>
        <source>ACKED</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="37"/>
        <source>RTN UNACK</source>
        <translation>恢复未确认</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="38"/>
        <source>SHELVED</source>
        <translation>搁置</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="39"/>
        <source>SUPPRESSED</source>
        <translation>设计屏蔽</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="40"/>
        <source>OUT OF SVC</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="41"/>
        <source>NORMAL</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="44"/>
        <source>Returned to normal</source>
        <translation>已恢复正常</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="45"/>
        <source>Unacknowledged</source>
        <translation>未确认</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="46"/>
        <location filename="../../widgets/vocabulary.py" line="65"/>
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="47"/>
        <source>Returned, unacknowledged</source>
        <translation>恢复未确认</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="48"/>
        <location filename="../../widgets/vocabulary.py" line="66"/>
        <source>Shelved</source>
        <translation>已搁置</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="49"/>
        <location filename="../../widgets/vocabulary.py" line="68"/>
        <source>Suppressed</source>
        <translation>设计屏蔽</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="50"/>
        <location filename="../../widgets/vocabulary.py" line="69"/>
        <source>Out of service</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="53"/>
        <source>not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="54"/>
        <source>acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="55"/>
        <source>verified</source>
        <translation>已核实</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="56"/>
        <source>dispatched</source>
        <translation>已派单</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="57"/>
        <source>feedback received</source>
        <translation>已反馈</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="58"/>
        <source>closed</source>
        <translation>已闭环</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="61"/>
        <source>real</source>
        <translation>真实</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="62"/>
        <source>false</source>
        <translation>误报</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="67"/>
        <source>Unshelved</source>
        <translation>已解除搁置</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="70"/>
        <source>Verified</source>
        <translation>已核实</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="71"/>
        <source>Dispatched</source>
        <translation>已派单</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="72"/>
        <location filename="../../widgets/vocabulary.py" line="91"/>
        <source>Feedback</source>
        <translation>处置反馈</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="73"/>
        <source>Closed</source>
        <translation>已闭环</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="76"/>
        <source>acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="77"/>
        <source>shelve</source>
        <translation>搁置</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="78"/>
        <source>unshelve</source>
        <translation>解除搁置</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="79"/>
        <source>suppress</source>
        <translation>屏蔽</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="80"/>
        <source>take out of service</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="81"/>
        <source>verify</source>
        <translation>核实</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="82"/>
        <source>dispatch</source>
        <translation>派单</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="83"/>
        <source>feedback</source>
        <translation>反馈</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="84"/>
        <source>close</source>
        <translation>闭环</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="87"/>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="88"/>
        <source>Verify real</source>
        <translation>核实：真实</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="89"/>
        <source>Verify false</source>
        <translation>核实：误报</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="90"/>
        <source>Dispatch</source>
        <translation>派单</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="92"/>
        <source>Close loop</source>
        <translation>闭环归档</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="93"/>
        <source>Shelve</source>
        <translation>搁置</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="94"/>
        <source>Unshelve</source>
        <translation>解除搁置</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="97"/>
        <source>GAS</source>
        <translation>燃气</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="98"/>
        <source>WATER</source>
        <translation>供水</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="99"/>
        <source>DRAINAGE</source>
        <translation>排水</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="100"/>
        <source>HEATING</source>
        <translation>供热</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="101"/>
        <source>BRIDGE</source>
        <translation>桥梁</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="102"/>
        <source>TUNNEL</source>
        <translation>管廊</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="105"/>
        <source>Gas</source>
        <translation>燃气</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="106"/>
        <source>Water supply</source>
        <translation>供水</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="107"/>
        <source>Drainage</source>
        <translation>排水</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="108"/>
        <source>Heating</source>
        <translation>供热</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="109"/>
        <source>Bridges</source>
        <translation>桥梁</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="110"/>
        <source>Utility tunnels</source>
        <translation>综合管廊</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="113"/>
        <source>CONNECTING</source>
        <translation>连接中</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="114"/>
        <source>LIVE</source>
        <translation>实时</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="115"/>
        <source>STALE</source>
        <translation>数据陈旧</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="116"/>
        <source>DOWN</source>
        <translation>断开</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="117"/>
        <source>REPLAY</source>
        <translation>回放</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="120"/>
        <source>operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="121"/>
        <source>supervisor</source>
        <translation>值班长</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="122"/>
        <source>trainer</source>
        <translation>培训员</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="123"/>
        <source>admin</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location filename="../../widgets/vocabulary.py" line="124"/>
        <source>wall</source>
        <translation>大屏</translation>
    </message>
</context>
<context>
    <name>WallWindow</name>
    <message>
        <location filename="../../console/wall_window.py" line="17"/>
        <source>Alarm queue</source>
        <translation>告警队列</translation>
    </message>
    <message>
        <location filename="../../console/wall_window.py" line="18"/>
        <source>Utility tunnels and pipe network (3D)</source>
        <translation>综合管廊与管网（三维）</translation>
    </message>
    <message>
        <location filename="../../console/wall_window.py" line="19"/>
        <source>Live trends</source>
        <translation>实时趋势</translation>
    </message>
    <message>
        <location filename="../../console/wall_window.py" line="20"/>
        <source>Alarm KPIs</source>
        <translation>告警指标</translation>
    </message>
    <message>
        <location filename="../../console/wall_window.py" line="21"/>
        <source>Lifelines at a glance</source>
        <translation>生命线总览</translation>
    </message>
    <message>
        <location filename="../../console/wall_window.py" line="111"/>
        <source>HOLD · alarm needs attention</source>
        <translation>暂停轮播 · 告警待处理</translation>
    </message>
</context>
</TS>
