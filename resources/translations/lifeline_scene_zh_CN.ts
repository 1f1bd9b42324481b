<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>BookmarkDialog</name>
    <message>
        <location filename="../../views/replay_bookmark.py" line="33"/>
        <source>Bookmark this stretch of the recording</source>
        <translation>将这段录制加入书签</translation>
    </message>
    <message>
        <location filename="../../views/replay_bookmark.py" line="37"/>
        <source>e.g. Tunnel 1 gas leak, night shift</source>
        <translation>例如：1号管廊燃气泄漏，夜班</translation>
    </message>
    <message>
        <location filename="../../views/replay_bookmark.py" line="41"/>
        <source>What happened, what to watch for when replaying it</source>
        <translation>发生了什么，回放时应注意什么</translation>
    </message>
    <message>
        <location filename="../../views/replay_bookmark.py" line="55"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../views/replay_bookmark.py" line="56"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../views/replay_bookmark.py" line="57"/>
        <source>From</source>
        <translation>起始</translation>
    </message>
    <message>
        <location filename="../../views/replay_bookmark.py" line="58"/>
        <source>To</source>
        <translation>结束</translation>
    </message>
    <message>
        <location filename="../../views/replay_bookmark.py" line="77"/>
        <source>A bookmark needs a title.</source>
        <translation>书签需要标题。</translation>
    </message>
    <message>
        <location filename="../../views/replay_bookmark.py" line="81"/>
        <source>The bookmark ends before it starts.</source>
        <translation>书签的结束时间早于开始时间。</translation>
    </message>
</context>
<context>
    <name>Duration</name>
    <message>
        <location filename="../../views/replay_bar.py" line="30"/>
        <source>h</source>
        <translation>小时</translation>
    </message>
    <message>
        <location filename="../../views/replay_bar.py" line="31"/>
        <source>min</source>
        <translation>分</translation>
    </message>
    <message>
        <location filename="../../views/replay_bar.py" line="32"/>
        <source>s</source>
        <translation>秒</translation>
    </message>
</context>
<context>
    <name>IncidentLibraryView</name>
    <message>
        <location filename="../../views/incident_library.py" line="29"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../views/incident_library.py" line="30"/>
        <source>Proposed</source>
        <translation>自动提议</translation>
    </message>
    <message>
        <location filename="../../views/incident_library.py" line="31"/>
        <source>Bookmarks</source>
        <translation>书签</translation>
    </message>
    <message>
        <location filename="../../views/incident_library.py" line="34"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../views/incident_library.py" line="35"/>
        <source>Start</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <location filename="../../views/incident_library.py" line="36"/>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <location filename="../../views/incident_library.py" line="37"/>
        <source>Max level</source>
        <translation>最高级别</translation>
    </message>
    <message>
        <location filename="../../views/incident_library.py" line="38"/>
        <source>Alarms</source>
        <translation>报警数</translation>
    </message>
    <message>
        <location filename="../../views/incident_library.py" line="62"/>
        <source>Search titles and notes</source>
        <translation>搜索标题和备注</translation>
    </message>
    <message>
        <location filename="../../views/incident_library.py" line="82"/>
        <source>▶ Replay</source>
        <translation>▶ 回放</translation>
    </message>
    <message>
        <location filename="../../views/incident_library.py" line="86"/>
        <source>Replay the selected incident (or double-click it)</source>
        <translation>回放所选事件（或双击该事件）</translation>
    </message>
    <message>
        <location filename="../../views/incident_library.py" line="132"/>
        <source>Bookmark</source>
        <translation>书签</translation>
    </message>
    <message>
        <location filename="../../views/incident_library.py" line="134"/>
        <source>Proposed from an alarm episode</source>
        <translation>根据一段报警过程自动提议</translation>
    </message>
    <message>
        <location filename="../../views/incident_library.py" line="146"/>
        <source>{n} incidents</source>
        <translation>{n} 个事件</translation>
    </message>
    <message>
        <location filename="../../views/incident_library.py" line="148"/>
        <source>{n} incident</source>
        <translation>{n} 个事件</translation>
    </message>
</context>
<context>
    <name>ReplayBar</name>
    <message>
        <location filename="../../views/replay_bar.py" line="61"/>
        <source>REPLAY</source>
        <translation>回放</translation>
    </message>
    <message>
        <location filename="../../views/replay_bar.py" line="64"/>
        <source>Replay: every view shows the recording at this time.
Acknowledgements are training actions, scored, never sent.</source>
        <translation>回放：所有视图显示录制数据在此时刻的状态。
确认操作是培训动作，只计分，不下发。</translation>
    </message>
    <message>
        <location filename="../../views/replay_bar.py" line="72"/>
        <location filename="../../views/replay_bar.py" line="190"/>
        <source>▶ Play</source>
        <translation>▶ 播放</translation>
    </message>
    <message>
        <location filename="../../views/replay_bar.py" line="75"/>
        <source>Play or pause the replay (Space in the bar)</source>
        <translation>播放或暂停回放（在回放栏中按空格键）</translation>
    </message>
    <message>
        <location filename="../../views/replay_bar.py" line="78"/>
        <source>|◀ Alarm</source>
        <translation>|◀ 报警</translation>
    </message>
    <message>
        <location filename="../../views/replay_bar.py" line="81"/>
        <source>Go to the previous alarm raise</source>
        <translation>跳到上一次报警触发</translation>
    </message>
    <message>
        <location filename="../../views/replay_bar.py" line="83"/>
        <source>Alarm ▶|</source>
        <translation>报警 ▶|</translation>
    </message>
    <message>
        <location filename="../../views/replay_bar.py" line="85"/>
        <source>Go to the next alarm raise</source>
        <translation>跳到下一次报警触发</translation>
    </message>
    <message>
        <location filename="../../views/replay_bar.py" line="90"/>
        <source>Replay speed: recorded seconds per second</source>
        <translation>回放速度：每秒回放的录制秒数</translation>
    </message>
    <message>
        <location filename="../../views/replay_bar.py" line="95"/>
        <source>⟲ Loop</source>
        <translation>⟲ 循环</translation>
    </message>
    <message>
        <location filename="../../views/replay_bar.py" line="99"/>
        <source>Start over at the end of the range</source>
        <translation>到达区间末尾时从头播放</translation>
    </message>
    <message>
        <location filename="../../views/replay_bar.py" line="104"/>
        <source>★ Bookmark</source>
        <translation>★ 书签</translation>
    </message>
    <message>
        <location filename="../../views/replay_bar.py" line="107"/>
        <source>Save a stretch of this recording to the incident library</source>
        <translation>将这段录制保存到事件库</translation>
    </message>
    <message>
        <location filename="../../views/replay_bar.py" line="168"/>
        <source>{span} · {duration} · {alarms} alarms</source>
        <translation>{span} · {duration} · {alarms} 条报警</translation>
    </message>
    <message>
        <location filename="../../views/replay_bar.py" line="180"/>
        <source>REPLAY  {time}  {state} {speed}</source>
        <translation>回放  {time}  {state} {speed}</translation>
    </message>
    <message>
        <location filename="../../views/replay_bar.py" line="188"/>
        <source>‖ Pause</source>
        <translation>‖ 暂停</translation>
    </message>
</context>
<context>
    <name>ReplaySession</name>
    <message>
        <location filename="../../views/replay_session.py" line="120"/>
        <source>Incident: {title}</source>
        <translation>事件：{title}</translation>
    </message>
    <message>
        <location filename="../../views/replay_session.py" line="124"/>
        <source>Whole recording</source>
        <translation>全部录制</translation>
    </message>
</context>
<context>
    <name>ReplayTimeline</name>
    <message>
        <location filename="../../widgets/replay_timeline.py" line="172"/>
        <source>{symbol} alarm {alarm} raised {time}</source>
        <translation>{symbol} 报警 {alarm} 于 {time} 触发</translation>
    </message>
</context>
<context>
    <name>SceneCompass</name>
    <message>
        <location filename="../../widgets/scene_overlays.py" line="51"/>
        <source>N</source>
        <comment>north, on the compass</comment>
        <translation>北</translation>
    </message>
</context>
<context>
    <name>SceneHover</name>
    <message>
        <location filename="../../widgets/scene_hover.py" line="22"/>
        <source>Level I alarm</source>
        <translation>一级报警</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_hover.py" line="23"/>
        <source>Level II alarm</source>
        <translation>二级报警</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_hover.py" line="24"/>
        <source>Level III alarm</source>
        <translation>三级报警</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_hover.py" line="25"/>
        <source>Level IV alarm</source>
        <translation>四级报警</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_hover.py" line="28"/>
        <source>over range</source>
        <translation>超量程</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_hover.py" line="29"/>
        <source>device fault</source>
        <translation>设备故障</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_hover.py" line="30"/>
        <source>maintenance</source>
        <translation>维护</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_hover.py" line="31"/>
        <source>calibration</source>
        <translation>校准</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_hover.py" line="32"/>
        <source>stopped</source>
        <translation>停运</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_hover.py" line="33"/>
        <source>power failure</source>
        <translation>断电</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_hover.py" line="34"/>
        <source>missing</source>
        <translation>数据缺失</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_hover.py" line="38"/>
        <source>unacknowledged</source>
        <translation>未确认</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_hover.py" line="39"/>
        <source>acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_hover.py" line="40"/>
        <source>returned to normal, unacknowledged</source>
        <translation>已恢复正常，未确认</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_hover.py" line="62"/>
        <source>{level}, {state}</source>
        <translation>{level}，{state}</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_hover.py" line="67"/>
        <source>flagged</source>
        <translation>已标记</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_hover.py" line="68"/>
        <source>Bad quality ({flag})</source>
        <translation>数据质量异常（{flag}）</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_hover.py" line="70"/>
        <source>Offline (no recent data)</source>
        <translation>离线（近期无数据）</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_hover.py" line="71"/>
        <source>Normal</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_hover.py" line="89"/>
        <source>Value: {value}</source>
        <translation>数值：{value}</translation>
    </message>
</context>
<context>
    <name>SceneLegend</name>
    <message>
        <location filename="../../widgets/scene_legend.py" line="110"/>
        <source>SENSORS</source>
        <translation>传感器</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_legend.py" line="111"/>
        <source>PIPES</source>
        <translation>管线</translation>
    </message>
</context>
<context>
    <name>SceneToolbar</name>
    <message>
        <location filename="../../views/scene_view.py" line="26"/>
        <source>Pipes: by network</source>
        <translation>管线：按管网着色</translation>
    </message>
    <message>
        <location filename="../../views/scene_view.py" line="46"/>
        <source>Overview</source>
        <translation>总览</translation>
    </message>
    <message>
        <location filename="../../views/scene_view.py" line="47"/>
        <source>Whole district (Home or R)</source>
        <translation>整个片区（Home 或 R 键）</translation>
    </message>
    <message>
        <location filename="../../views/scene_view.py" line="53"/>
        <source>Frame one utility tunnel (T: next tunnel)</source>
        <translation>定位到一条综合管廊（T：下一条管廊）</translation>
    </message>
    <message>
        <location filename="../../views/scene_view.py" line="57"/>
        <source>X-ray</source>
        <translation>透视</translation>
    </message>
    <message>
        <location filename="../../views/scene_view.py" line="58"/>
        <source>Cut compartments away, see inside (X)</source>
        <translation>剖切舱室，查看内部（X）</translation>
    </message>
    <message>
        <location filename="../../views/scene_view.py" line="65"/>
        <source>Colour pipelines by network or by a live value (C: next)</source>
        <translation>按管网或实时数值为管线着色（C：下一种）</translation>
    </message>
    <message>
        <location filename="../../views/scene_view.py" line="73"/>
        <source>Legend</source>
        <translation>图例</translation>
    </message>
    <message>
        <location filename="../../views/scene_view.py" line="74"/>
        <source>Show the key to colours and tags (K)</source>
        <translation>显示颜色与标记的图例（K）</translation>
    </message>
    <message>
        <location filename="../../views/scene_view.py" line="96"/>
        <source>Go to tunnel…</source>
        <translation>转到管廊…</translation>
    </message>
    <message>
        <location filename="../../views/scene_view.py" line="106"/>
        <source>Pipes: {title}</source>
        <translation>管线：{title}</translation>
    </message>
</context>
<context>
    <name>SceneView</name>
    <message>
        <location filename="../../views/scene_view.py" line="146"/>
        <source>Waiting for the city model…</source>
        <translation>正在等待城市模型…</translation>
    </message>
</context>
<context>
    <name>SceneWords</name>
    <message>
        <location filename="../../widgets/scene_words.py" line="16"/>
        <source>Normal</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_words.py" line="17"/>
        <source>Level I, most severe</source>
        <translation>一级（最严重）</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_words.py" line="18"/>
        <source>Level II</source>
        <translation>二级</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_words.py" line="19"/>
        <source>Level III</source>
        <translation>三级</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_words.py" line="20"/>
        <source>Level IV</source>
        <translation>四级</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_words.py" line="21"/>
        <source>Bad quality</source>
        <translation>数据质量异常</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_words.py" line="22"/>
        <source>Offline / no data</source>
        <translation>离线／无数据</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_words.py" line="23"/>
        <source>gas</source>
        <translation>燃气</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_words.py" line="24"/>
        <source>water</source>
        <translation>供水</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_words.py" line="25"/>
        <source>drainage</source>
        <translation>排水</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_words.py" line="26"/>
        <source>heating</source>
        <translation>供热</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_words.py" line="27"/>
        <source>power</source>
        <translation>电力</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_words.py" line="28"/>
        <source>telecom</source>
        <translation>通信</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_words.py" line="29"/>
        <source>pressure</source>
        <translation>压力</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_words.py" line="30"/>
        <source>flow</source>
        <translation>流量</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_words.py" line="31"/>
        <source>temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_words.py" line="32"/>
        <source>level</source>
        <translation>液位</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_words.py" line="33"/>
        <source>methane</source>
        <translation>甲烷</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_words.py" line="60"/>
        <source>{network} {quantity}</source>
        <translation>{network}{quantity}</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_words.py" line="68"/>
        <source>{label} ({unit})</source>
        <translation>{label}（{unit}）</translation>
    </message>
    <message>
        <location filename="../../widgets/scene_words.py" line="74"/>
        <source>{label}
see the colour bar</source>
        <translation>{label}
见右侧色标</translation>
    </message>
</context>
<context>
    <name>TrainingScoreView</name>
    <message>
        <location filename="../../views/replay_training_view.py" line="23"/>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../views/replay_training_view.py" line="24"/>
        <source>Alarm</source>
        <translation>报警</translation>
    </message>
    <message>
        <location filename="../../views/replay_training_view.py" line="25"/>
        <source>Raised</source>
        <translation>触发时间</translation>
    </message>
    <message>
        <location filename="../../views/replay_training_view.py" line="26"/>
        <source>Crew ack</source>
        <translation>值班确认</translation>
    </message>
    <message>
        <location filename="../../views/replay_training_view.py" line="27"/>
        <source>Trainee ack</source>
        <translation>学员确认</translation>
    </message>
    <message>
        <location filename="../../views/replay_training_view.py" line="28"/>
        <source>Trainee − crew</source>
        <translation>学员 − 值班</translation>
    </message>
    <message>
        <location filename="../../views/replay_training_view.py" line="34"/>
        <source>No acknowledgement made in this replay yet.</source>
        <translation>本次回放中尚未进行确认。</translation>
    </message>
    <message>
        <location filename="../../views/replay_training_view.py" line="46"/>
        <source>TRAINING {seconds} s</source>
        <translation>培训 {seconds} 秒</translation>
    </message>
    <message>
        <location filename="../../views/replay_training_view.py" line="50"/>
        <source>not yet</source>
        <translation>尚未到达</translation>
    </message>
    <message>
        <location filename="../../views/replay_training_view.py" line="52"/>
        <source>missed</source>
        <translation>漏确认</translation>
    </message>
    <message>
        <location filename="../../views/replay_training_view.py" line="61"/>
        <source>{delta} s slower</source>
        <translation>{delta} 秒（较慢）</translation>
    </message>
    <message>
        <location filename="../../views/replay_training_view.py" line="63"/>
        <source>{delta} s faster</source>
        <translation>{delta} 秒（较快）</translation>
    </message>
    <message>
        <location filename="../../views/replay_training_view.py" line="77"/>
        <source>TRAINING — acknowledgements here are scored, never sent</source>
        <translation>培训 — 此处的确认只计分，不下发</translation>
    </message>
    <message>
        <location filename="../../views/replay_training_view.py" line="130"/>
        <source>never</source>
        <translation>未确认</translation>
    </message>
    <message>
        <location filename="../../views/replay_training_view.py" line="149"/>
        <source>{acked} of {total} alarm raises acknowledged</source>
        <translation>{total} 次报警触发中已确认 {acked} 次</translation>
    </message>
    <message>
        <location filename="../../views/replay_training_view.py" line="157"/>
        <source>median {median} s to acknowledge</source>
        <translation>确认用时中位数 {median} 秒</translation>
    </message>
    <message>
        <location filename="../../views/replay_training_view.py" line="161"/>
        <source>median {median} s to acknowledge (crew {crew} s)</source>
        <translation>确认用时中位数 {median} 秒（值班 {crew} 秒）</translation>
    </message>
    <message>
        <location filename="../../views/replay_training_view.py" line="169"/>
        <source>{n} acks of no raise</source>
        <translation>{n} 次确认无对应报警</translation>
    </message>
    <message>
        <location filename="../../views/replay_training_view.py" line="171"/>
        <source>{n} ack of no raise</source>
        <translation>{n} 次确认无对应报警</translation>
    </message>
</context>
</TS>
