<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR" sourcelanguage="en">
<context>
    <name>ErrorCode</name>
    <message>
        <source>no error</source>
        <translation>오류 없음</translation>
    </message>
    <message>
        <source>this command is not valid here</source>
        <translation>여기에서는 할 수 없는 작업입니다</translation>
    </message>
    <message>
        <source>an identifier is missing</source>
        <translation>식별 번호가 없습니다</translation>
    </message>
    <message>
        <source>the patient&apos;s name is required</source>
        <translation>환자 이름을 입력하세요</translation>
    </message>
    <message>
        <source>the birth date is invalid or in the future, or given with an estimated age</source>
        <translation>생년월일이 올바르지 않거나 오늘 이후이거나, 추정 나이와 함께 입력되었습니다</translation>
    </message>
    <message>
        <source>no such department</source>
        <translation>없는 진료과입니다</translation>
    </message>
    <message>
        <source>no such doctor</source>
        <translation>등록되지 않은 의사입니다</translation>
    </message>
    <message>
        <source>the requested doctor does not work in this department</source>
        <translation>요청한 의사는 이 진료과 소속이 아닙니다</translation>
    </message>
    <message>
        <source>no such examination in the catalogue</source>
        <translation>검사 목록에 없는 검사입니다</translation>
    </message>
    <message>
        <source>an examination result is required</source>
        <translation>검사 결과를 입력하세요</translation>
    </message>
    <message>
        <source>a reason is required</source>
        <translation>사유를 입력하세요</translation>
    </message>
    <message>
        <source>the queue ticket is not valid</source>
        <translation>대기 번호가 올바르지 않습니다</translation>
    </message>
    <message>
        <source>a field is too long</source>
        <translation>입력한 내용이 너무 깁니다</translation>
    </message>
    <message>
        <source>the chief complaint is required</source>
        <translation>주 증상을 입력하세요</translation>
    </message>
    <message>
        <source>no such visit</source>
        <translation>해당 접수 내역을 찾을 수 없습니다</translation>
    </message>
    <message>
        <source>no such diagnosis</source>
        <translation>해당 진료 내역을 찾을 수 없습니다</translation>
    </message>
    <message>
        <source>no such examination</source>
        <translation>해당 검사를 찾을 수 없습니다</translation>
    </message>
    <message>
        <source>this visit is already registered</source>
        <translation>이미 접수된 환자입니다</translation>
    </message>
    <message>
        <source>this examination is already prescribed</source>
        <translation>이미 처방된 검사입니다</translation>
    </message>
    <message>
        <source>no doctor works in this department</source>
        <translation>이 진료과에 근무하는 의사가 없습니다</translation>
    </message>
    <message>
        <source>visit already cancelled</source>
        <translation>이미 취소된 접수입니다</translation>
    </message>
    <message>
        <source>visit already closed</source>
        <translation>이미 종결된 접수입니다</translation>
    </message>
    <message>
        <source>the treatment has no outcome yet</source>
        <translation>아직 진료 결과가 없습니다</translation>
    </message>
    <message>
        <source>the treatment already has an outcome: confirm it instead</source>
        <translation>진료 결과가 이미 나왔습니다. 결과 확인을 진행하세요</translation>
    </message>
    <message>
        <source>diagnosis withdrawn: the visit was cancelled</source>
        <translation>진료가 철회되었습니다: 접수가 취소되었습니다</translation>
    </message>
    <message>
        <source>treatment already completed</source>
        <translation>이미 진료가 완료되었습니다</translation>
    </message>
    <message>
        <source>treatment already refused</source>
        <translation>이미 진료 거부로 처리되었습니다</translation>
    </message>
    <message>
        <source>examinations are still pending</source>
        <translation>아직 끝나지 않은 검사가 있습니다</translation>
    </message>
    <message>
        <source>there are no examination results to review</source>
        <translation>확인할 검사 결과가 없습니다</translation>
    </message>
    <message>
        <source>review the examination results first</source>
        <translation>먼저 검사 결과를 확인하세요</translation>
    </message>
    <message>
        <source>results already reviewed: complete or refuse the treatment</source>
        <translation>이미 결과를 확인했습니다. 진료 완료 또는 진료 거부를 선택하세요</translation>
    </message>
    <message>
        <source>examination already performed</source>
        <translation>이미 시행된 검사입니다</translation>
    </message>
    <message>
        <source>examination already cancelled</source>
        <translation>이미 취소된 검사입니다</translation>
    </message>
    <message>
        <source>examination already withdrawn: the treatment was refused</source>
        <translation>이미 철회된 검사입니다: 진료가 거부되었습니다</translation>
    </message>
    <message>
        <source>examination already withdrawn: the visit was cancelled</source>
        <translation>이미 철회된 검사입니다: 접수가 취소되었습니다</translation>
    </message>
    <message>
        <source>this station&apos;s role may not do that</source>
        <translation>이 단말의 역할로는 할 수 없는 작업입니다</translation>
    </message>
    <message>
        <source>this station is not enrolled</source>
        <translation>등록되지 않은 단말입니다</translation>
    </message>
    <message>
        <source>the message could not be read</source>
        <translation>메시지를 읽을 수 없습니다</translation>
    </message>
    <message>
        <source>the message is too large</source>
        <translation>메시지가 너무 큽니다</translation>
    </message>
    <message>
        <source>this protocol version is not supported</source>
        <translation>지원하지 않는 프로토콜 버전입니다</translation>
    </message>
    <message>
        <source>unknown message type</source>
        <translation>알 수 없는 메시지 유형입니다</translation>
    </message>
    <message>
        <source>this patient is assigned to another doctor</source>
        <translation>다른 의사에게 배정된 환자입니다</translation>
    </message>
    <message>
        <source>the server is unavailable</source>
        <translation>서버에 연결할 수 없습니다</translation>
    </message>
    <message>
        <source>this command id already names another command</source>
        <translation>이 명령 ID는 이미 다른 명령에 쓰였습니다</translation>
    </message>
    <message>
        <source>internal error: the action was not applied</source>
        <translation>내부 오류: 작업이 반영되지 않았습니다</translation>
    </message>
</context>
<context>
    <name>HistoryText</name>
    <message>
        <source>%1 (waiting for the server)</source>
        <translation>%1 (서버 응답 대기 중)</translation>
    </message>
    <message>
        <source>%1 (no longer possible here; waiting for the server&apos;s answer)</source>
        <translation>%1 (이 단말에서는 더 진행할 수 없음, 서버 응답 대기 중)</translation>
    </message>
    <message>
        <source>Registered as %1 for %2</source>
        <translation>%2 접수됨 (번호 %1)</translation>
    </message>
    <message>
        <source>Assigned to %1</source>
        <translation>담당의 배정: %1</translation>
    </message>
    <message>
        <source>Treatment started with %1</source>
        <translation>진료 시작: %1</translation>
    </message>
    <message>
        <source>%1 prescribed</source>
        <translation>검사 처방됨: %1</translation>
    </message>
    <message>
        <source>%1 requested from the examination room</source>
        <translation>검사실에 검사 요청됨: %1</translation>
    </message>
    <message>
        <source>Examination performed</source>
        <translation>검사 시행됨</translation>
    </message>
    <message>
        <source>Examination cancelled: %1</source>
        <translation>검사 취소됨: %1</translation>
    </message>
    <message>
        <source>Examination withdrawn because the visit was cancelled</source>
        <translation>접수가 취소되어 검사가 철회됨</translation>
    </message>
    <message>
        <source>Examination withdrawn because the treatment was refused</source>
        <translation>진료가 거부되어 검사가 철회됨</translation>
    </message>
    <message>
        <source>All examination results are ready</source>
        <translation>모든 검사 결과가 나옴</translation>
    </message>
    <message>
        <source>Results reviewed by the doctor</source>
        <translation>담당의가 검사 결과를 확인함</translation>
    </message>
    <message>
        <source>Treatment completed</source>
        <translation>진료 완료됨</translation>
    </message>
    <message>
        <source>Treatment refused</source>
        <translation>진료 거부됨</translation>
    </message>
    <message>
        <source>Consultation withdrawn</source>
        <translation>진료 철회됨</translation>
    </message>
    <message>
        <source>Outcome recorded: treatment refused</source>
        <translation>진료 결과 기록됨: 진료 거부</translation>
    </message>
    <message>
        <source>Outcome recorded: treatment completed</source>
        <translation>진료 결과 기록됨: 진료 완료</translation>
    </message>
    <message>
        <source>Visit closed at the desk</source>
        <translation>원무 창구에서 종결 처리됨</translation>
    </message>
    <message>
        <source>Visit cancelled</source>
        <translation>접수 취소됨</translation>
    </message>
    <message>
        <source>Visit cancelled: %1</source>
        <translation>접수 취소됨: %1</translation>
    </message>
    <message>
        <source>Register as %1 for %2</source>
        <translation>%2 접수 (번호 %1)</translation>
    </message>
    <message>
        <source>Cancel the visit</source>
        <translation>접수 취소</translation>
    </message>
    <message>
        <source>Confirm the outcome</source>
        <translation>진료 결과 확인</translation>
    </message>
    <message>
        <source>Prescribe %1</source>
        <translation>검사 처방: %1</translation>
    </message>
    <message>
        <source>Review the results</source>
        <translation>검사 결과 확인</translation>
    </message>
    <message>
        <source>Complete the treatment</source>
        <translation>진료 완료</translation>
    </message>
    <message>
        <source>Record the refusal of treatment</source>
        <translation>진료 거부 기록</translation>
    </message>
    <message>
        <source>Perform the examination</source>
        <translation>검사 시행</translation>
    </message>
    <message>
        <source>Cancel the examination</source>
        <translation>검사 취소</translation>
    </message>
</context>
<context>
    <name>ModelText</name>
    <message>
        <source>Received</source>
        <translation>접수</translation>
    </message>
    <message>
        <source>In treatment</source>
        <translation>진료 중</translation>
    </message>
    <message>
        <source>Treatment completed</source>
        <translation>진료 완료</translation>
    </message>
    <message>
        <source>Treatment refused</source>
        <translation>진료 거부</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>종결</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>진료 대기</translation>
    </message>
    <message>
        <source>Examinations pending</source>
        <translation>검사 대기</translation>
    </message>
    <message>
        <source>Results ready</source>
        <translation>결과 확인 대기</translation>
    </message>
    <message>
        <source>Reviewed</source>
        <translation>결과 확인 완료</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>거부</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>철회</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>응급</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>일반</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>전송 대기</translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <translation>
            <numerusform>%n분</numerusform>
        </translation>
    </message>
    <message>
        <source>F</source>
        <comment>sex, short</comment>
        <translation>여</translation>
    </message>
    <message>
        <source>M</source>
        <comment>sex, short</comment>
        <translation>남</translation>
    </message>
    <message>
        <source>X</source>
        <comment>sex, short</comment>
        <translation>기타</translation>
    </message>
    <message>
        <source>~%1</source>
        <comment>an estimated age</comment>
        <translation>약 %1</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>age, then sex</comment>
        <translation>%2/%1</translation>
    </message>
</context>
<context>
    <name>clinicflow::client::DoctorQueueModel</name>
    <message>
        <source>Ticket</source>
        <translation>번호</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>환자</translation>
    </message>
    <message>
        <source>Age/Sex</source>
        <translation>성별/나이</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>구분</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Examinations</source>
        <translation>검사</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>대기 시간</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>전송</translation>
    </message>
</context>
<context>
    <name>clinicflow::client::ExaminerQueueModel</name>
    <message>
        <source>Examination</source>
        <translation>검사</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>번호</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>환자</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>진료과</translation>
    </message>
    <message>
        <source>Requested</source>
        <translation>요청 시각</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>구분</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>전송</translation>
    </message>
</context>
<context>
    <name>clinicflow::client::OutcomeConfirmationModel</name>
    <message>
        <source>Ticket</source>
        <translation>번호</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>환자</translation>
    </message>
    <message>
        <source>Doctor</source>
        <translation>담당의</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>진료 결과</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>전송</translation>
    </message>
</context>
<context>
    <name>clinicflow::client::StatusBoardModel</name>
    <message>
        <source>Ticket</source>
        <translation>번호</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>환자</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>진료과</translation>
    </message>
    <message>
        <source>Doctor</source>
        <translation>담당의</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>접수</translation>
    </message>
    <message>
        <source>Consultation</source>
        <translation>진료</translation>
    </message>
    <message>
        <source>Examinations</source>
        <translation>검사</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>대기 시간</translation>
    </message>
</context>
<context>
    <name>clinicflow::client::TodayVisitsModel</name>
    <message>
        <source>Ticket</source>
        <translation>번호</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>환자</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>진료과</translation>
    </message>
    <message>
        <source>Doctor</source>
        <translation>담당의</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>대기 시간</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>전송</translation>
    </message>
</context>
<context>
    <name>clinicflow::client::VisitHistoryModel</name>
    <message>
        <source>Time</source>
        <translation>시각</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>내용</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>단말</translation>
    </message>
</context>
</TS>
