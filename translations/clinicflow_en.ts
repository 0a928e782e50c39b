<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="en">
<context>
    <name>ErrorText</name>
    <message numerus="yes">
        <source>At most %n characters</source>
        <translation>
            <numerusform>At most %n character</numerusform>
            <numerusform>At most %n characters</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ModelText</name>
    <message numerus="yes">
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>clinicflow::client::BoardScreen</name>
    <message numerus="yes">
        <source>%1 · %n visit(s)</source>
        <comment>the date, then how many visits the board lists</comment>
        <translation>
            <numerusform>%1 · %n visit</numerusform>
            <numerusform>%1 · %n visits</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>clinicflow::client::ConnectionIndicator</name>
    <message numerus="yes">
        <source>Syncing %Ln</source>
        <comment>events still to fetch</comment>
        <translation>
            <numerusform>Syncing %Ln</numerusform>
            <numerusform>Syncing %Ln</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n waiting for the server</source>
        <translation>
            <numerusform>%n waiting for the server</numerusform>
            <numerusform>%n waiting for the server</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>clinicflow::client::DoctorScreen</name>
    <message numerus="yes">
        <source>Waiting for %n examination result(s). You can prescribe more (%1).</source>
        <translation>
            <numerusform>Waiting for %n examination result. You can prescribe more (%1).</numerusform>
            <numerusform>Waiting for %n examination results. You can prescribe more (%1).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n examination(s) prescribed for %1</source>
        <translation>
            <numerusform>%n examination prescribed for %1</numerusform>
            <numerusform>%n examinations prescribed for %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Results are ready: review them (%1). %n examination(s) cancelled: prescribe again (%2) before the review if needed.</source>
        <translation>
            <numerusform>Results are ready: review them (%1). %n examination cancelled: prescribe it again (%2) before the review if needed.</numerusform>
            <numerusform>Results are ready: review them (%1). %n examinations cancelled: prescribe them again (%2) before the review if needed.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>clinicflow::client::ExaminerScreen</name>
    <message numerus="yes">
        <source>At most %n characters</source>
        <translation>
            <numerusform>At most %n character</numerusform>
            <numerusform>At most %n characters</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>clinicflow::client::MainWindow</name>
    <message numerus="yes">
        <source>%n refused action(s)</source>
        <translation>
            <numerusform>%n refused action</numerusform>
            <numerusform>%n refused actions</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>clinicflow::client::OutcomeDialog</name>
    <message numerus="yes">
        <source>These examinations have not been done and will be withdrawn:</source>
        <translation>
            <numerusform>This examination has not been done and will be withdrawn:</numerusform>
            <numerusform>These examinations have not been done and will be withdrawn:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>clinicflow::client::PrescribeDialog</name>
    <message numerus="yes">
        <source>Prescribe %n examination(s)  %1</source>
        <translation>
            <numerusform>Prescribe %n examination  %1</numerusform>
            <numerusform>Prescribe %n examinations  %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>clinicflow::client::RequestPanel</name>
    <message numerus="yes">
        <source>%1 · %n min ago</source>
        <comment>request time, then how long ago</comment>
        <translation>
            <numerusform>%1 · %n min ago</numerusform>
            <numerusform>%1 · %n min ago</numerusform>
        </translation>
    </message>
</context>
</TS>
