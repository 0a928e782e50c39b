<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR" sourcelanguage="en">
<context>
    <name>BoardTable</name>
    <message>
        <source>Exams</source>
        <comment>examinations done / prescribed, short</comment>
        <translation>검사</translation>
    </message>
    <message>
        <source>Examinations done / prescribed</source>
        <translation>시행한 검사 / 처방한 검사</translation>
    </message>
</context>
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
        <translation>생년월일이 올바르지 않습니다 (오늘 이후이거나 추정 나이와 함께 입력됨)</translation>
    </message>
    <message>
        <source>no such department</source>
        <translation>등록되지 않은 진료과입니다</translation>
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
        <translation>대기번호가 올바르지 않습니다</translation>
    </message>
    <message>
        <source>a field is too long</source>
        <translation>입력한 내용이 너무 깁니다</translation>
    </message>
    <message>
        <source>the chief complaint is required</source>
        <translation>주호소를 입력하세요</translation>
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
        <translation>이미 진료 결과가 있습니다. 종결 처리하세요</translation>
    </message>
    <message>
        <source>diagnosis withdrawn: the visit was cancelled</source>
        <translation>접수가 취소되어 진료가 철회되었습니다</translation>
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
        <translation>진료 거부로 이미 철회된 검사입니다</translation>
    </message>
    <message>
        <source>examination already withdrawn: the visit was cancelled</source>
        <translation>접수 취소로 이미 철회된 검사입니다</translation>
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
    <message>
        <source>a field contains line breaks, control or invisible characters it may not hold</source>
        <translation>입력한 내용에 쓸 수 없는 줄바꿈, 제어 문자 또는 보이지 않는 문자가 있습니다</translation>
    </message>
    <message>
        <source>the action&apos;s time is too far from the server&apos;s: check the station&apos;s clock, or the action waited offline too long to be accepted</source>
        <translation>작업 시각이 서버 시각과 너무 많이 다릅니다: 이 단말의 시계를 확인하세요. 또는 오프라인으로 너무 오래 대기한 작업이라 받을 수 없습니다</translation>
    </message>
    <message>
        <source>this station is sending too much: it will send again shortly</source>
        <translation>이 단말이 너무 많이 보내고 있습니다: 잠시 후 다시 보냅니다</translation>
    </message>
</context>
<context>
    <name>ErrorText</name>
    <message>
        <source>%1 (%2)</source>
        <comment>an error&apos;s sentence, then its detail</comment>
        <translation>%1 (%2)</translation>
    </message>
    <message numerus="yes">
        <source>At most %n characters</source>
        <translation>
            <numerusform>%n자 이내로 입력하세요</numerusform>
        </translation>
    </message>
    <message>
        <source>Enter the patient&apos;s name</source>
        <translation>환자 이름을 입력하세요</translation>
    </message>
    <message>
        <source>The birth date cannot be after today</source>
        <translation>생년월일은 오늘 이후일 수 없습니다</translation>
    </message>
    <message>
        <source>Give either a birth date or an estimated age</source>
        <translation>생년월일과 추정 나이 중 하나만 입력하세요</translation>
    </message>
    <message>
        <source>An estimated age is from 0 to %1</source>
        <translation>추정 나이는 0세부터 %1세까지 입력할 수 있습니다</translation>
    </message>
    <message>
        <source>Enter a date as YYYY-MM-DD, from %1 to today, or tick Unknown</source>
        <translation>%1년부터 오늘까지의 날짜를 YYYY-MM-DD 형식으로 입력하거나 &apos;모름&apos;을 선택하세요</translation>
    </message>
    <message>
        <source>Choose a department</source>
        <translation>진료과를 선택하세요</translation>
    </message>
    <message>
        <source>No doctor works in this department today</source>
        <translation>오늘 이 진료과에 근무하는 의사가 없습니다</translation>
    </message>
    <message>
        <source>This doctor is not on the roster</source>
        <translation>근무표에 없는 의사입니다</translation>
    </message>
    <message>
        <source>This doctor works in another department</source>
        <translation>다른 진료과 소속 의사입니다</translation>
    </message>
    <message>
        <source>Enter why the patient came</source>
        <translation>주호소를 입력하세요</translation>
    </message>
    <message>
        <source>This station cannot issue tickets: check its station code</source>
        <translation>이 단말은 대기번호를 발급할 수 없습니다. 단말 코드를 확인하세요</translation>
    </message>
    <message>
        <source>Registration</source>
        <translation>접수</translation>
    </message>
    <message>
        <source>Cancel visit</source>
        <translation>접수 취소</translation>
    </message>
    <message>
        <source>Confirm outcome</source>
        <translation>종결 처리</translation>
    </message>
    <message>
        <source>Prescribe examination</source>
        <translation>검사 처방</translation>
    </message>
    <message>
        <source>Review results</source>
        <translation>검사 결과 확인</translation>
    </message>
    <message>
        <source>Complete treatment</source>
        <translation>진료 완료</translation>
    </message>
    <message>
        <source>Refuse treatment</source>
        <translation>진료 거부</translation>
    </message>
    <message>
        <source>Perform examination</source>
        <translation>검사 시행</translation>
    </message>
    <message>
        <source>Cancel examination</source>
        <translation>검사 취소</translation>
    </message>
    <message>
        <source>Hand over</source>
        <translation>환자 인계</translation>
    </message>
    <message>
        <source>Remove the control or invisible characters (line breaks and tabs are fine)</source>
        <translation>제어 문자나 보이지 않는 문자를 지우세요 (줄바꿈과 탭은 괜찮습니다)</translation>
    </message>
    <message>
        <source>Remove line breaks, tabs and invisible characters</source>
        <translation>줄바꿈, 탭, 보이지 않는 문자를 지우세요</translation>
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
        <translation>%2 접수됨 (대기번호 %1)</translation>
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
        <translation>원무에서 종결 처리됨</translation>
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
        <translation>%2 접수 (대기번호 %1)</translation>
    </message>
    <message>
        <source>Cancel the visit</source>
        <translation>접수 취소</translation>
    </message>
    <message>
        <source>Confirm the outcome</source>
        <translation>종결 처리</translation>
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
    <message>
        <source>Handed over from %1 to %2</source>
        <translation>%1 → %2 인계</translation>
    </message>
    <message>
        <source>Hand over to %1</source>
        <translation>%1에게 인계</translation>
    </message>
    <message>
        <source>%1 performed</source>
        <translation>검사 시행됨: %1</translation>
    </message>
    <message>
        <source>%1 cancelled: %2</source>
        <translation>검사 취소됨: %1 (%2)</translation>
    </message>
    <message>
        <source>%1 withdrawn because the visit was cancelled</source>
        <translation>접수가 취소되어 검사가 철회됨: %1</translation>
    </message>
    <message>
        <source>%1 withdrawn because the treatment was refused</source>
        <translation>진료가 거부되어 검사가 철회됨: %1</translation>
    </message>
    <message>
        <source>Perform %1</source>
        <translation>검사 시행: %1</translation>
    </message>
    <message>
        <source>Cancel %1</source>
        <translation>검사 취소: %1</translation>
    </message>
    <message>
        <source>Every examination performed or cancelled: ready for review</source>
        <translation>모든 검사가 시행 또는 취소됨: 결과 확인 대기</translation>
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
        <translation>접수 취소</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>진료 대기</translation>
    </message>
    <message>
        <source>Examinations pending</source>
        <translation>검사 중</translation>
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
        <translation>진료 완료</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>진료 거부</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>진료 철회</translation>
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
    <message>
        <source>Waiting for the doctor</source>
        <translation>진료 대기</translation>
    </message>
    <message>
        <source>At examinations</source>
        <translation>검사 중</translation>
    </message>
    <message>
        <source>Results ready for the doctor</source>
        <translation>결과 확인 대기</translation>
    </message>
    <message>
        <source>Results reviewed</source>
        <translation>결과 확인 완료</translation>
    </message>
    <message>
        <source>Closed: treatment completed</source>
        <translation>종결: 진료 완료</translation>
    </message>
    <message>
        <source>Closed: treatment refused</source>
        <translation>종결: 진료 거부</translation>
    </message>
</context>
<context>
    <name>RegistrationForm</name>
    <message>
        <source>New visit</source>
        <translation>신규 접수</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>이름(&amp;N)</translation>
    </message>
    <message>
        <source>Family name, then given name</source>
        <translation>성과 이름 (예: 홍길동)</translation>
    </message>
    <message>
        <source>&amp;Birth date</source>
        <translation>생년월일(&amp;B)</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>YYYY-MM-DD</translation>
    </message>
    <message>
        <source>&amp;Unknown</source>
        <translation>모름(&amp;U)</translation>
    </message>
    <message>
        <source>Age about</source>
        <translation>나이</translation>
    </message>
    <message>
        <source>?</source>
        <translation>?</translation>
    </message>
    <message>
        <source>&amp;Sex</source>
        <translation>성별(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Phone</source>
        <translation>전화번호(&amp;P)</translation>
    </message>
    <message>
        <source>010-1234-5678</source>
        <translation>010-1234-5678</translation>
    </message>
    <message>
        <source>&amp;Address</source>
        <translation>주소(&amp;A)</translation>
    </message>
    <message>
        <source>For a returning patient; empty for a new one</source>
        <translation>재진 환자만 입력 (초진은 비워 두세요)</translation>
    </message>
    <message>
        <source>&amp;Department</source>
        <translation>진료과(&amp;D)</translation>
    </message>
    <message>
        <source>D&amp;octor</source>
        <translation>담당의(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Chief complaint</source>
        <translation>주호소(&amp;C)</translation>
    </message>
    <message>
        <source>Why the patient came today</source>
        <translation>오늘 내원한 이유, 증상</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>구분</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>초기화</translation>
    </message>
    <message>
        <source>Register  Ctrl+Enter</source>
        <translation>등록  Ctrl+Enter</translation>
    </message>
    <message>
        <source>Pa&amp;tient number</source>
        <translation>환자번호(&amp;T)</translation>
    </message>
    <message>
        <source>Nor&amp;mal</source>
        <translation>일반(&amp;M)</translation>
    </message>
    <message>
        <source>Ur&amp;gent</source>
        <translation>응급(&amp;G)</translation>
    </message>
</context>
<context>
    <name>StationOptions</name>
    <message>
        <source>The station&apos;s role: receptionist, doctor, examiner or board.</source>
        <translation>단말의 역할: receptionist(원무), doctor(진료실), examiner(검사실), board(현황판).</translation>
    </message>
    <message>
        <source>The station code, e.g. A (1 to 4 letters or digits, starting with a letter).</source>
        <translation>단말 코드. 예: A (영문자로 시작하는 영문자·숫자 1~4자).</translation>
    </message>
    <message>
        <source>The server&apos;s requests, e.g. tcp://host:7470.</source>
        <translation>서버의 요청 주소. 예: tcp://host:7470.</translation>
    </message>
    <message>
        <source>The server&apos;s status, e.g. tcp://host:7471 (default: the server&apos;s host, next port).</source>
        <translation>서버의 상태 알림 주소. 예: tcp://host:7471 (기본값: 서버 호스트의 다음 포트).</translation>
    </message>
    <message>
        <source>The folder for the station&apos;s local store.</source>
        <translation>단말의 로컬 저장소 폴더.</translation>
    </message>
    <message>
        <source>The language: ko or en (default: the system&apos;s).</source>
        <translation>언어: ko 또는 en (기본값: 시스템 언어).</translation>
    </message>
    <message>
        <source>A doctor&apos;s station: the doctor&apos;s roster id, e.g. dr.kim.</source>
        <translation>진료실 단말: 근무표의 의사 ID. 예: dr.kim.</translation>
    </message>
    <message>
        <source>An examiner&apos;s station: the examinations it does, e.g. XRAY,CT (default: all).</source>
        <translation>검사실 단말: 시행하는 검사. 예: XRAY,CT (기본값: 전체).</translation>
    </message>
    <message>
        <source>Show the setup dialog first.</source>
        <translation>먼저 설정 창을 엽니다.</translation>
    </message>
    <message>
        <source>--role: %1 is not receptionist, doctor, examiner or board</source>
        <translation>--role: %1 — receptionist, doctor, examiner, board 중 하나여야 합니다</translation>
    </message>
    <message>
        <source>--station: %1 is not a station code (1 to 4 letters or digits, starting with a letter)</source>
        <translation>--station: %1 — 올바른 단말 코드가 아닙니다 (영문자로 시작하는 영문자·숫자 1~4자)</translation>
    </message>
    <message>
        <source>--%1: %2 is not an address like tcp://host:7470</source>
        <translation>--%1: %2 — tcp://host:7470 형식의 주소가 아닙니다</translation>
    </message>
    <message>
        <source>this workstation has no enrolment yet: import the file the clinic&apos;s IT staff made for it (clinicflow --enrolment FILE)</source>
        <translation>이 단말은 아직 등록되지 않았습니다: 병원 IT 담당자가 만들어 준 등록 파일을 가져오세요 (clinicflow --enrolment 파일)</translation>
    </message>
    <message>
        <source>The station&apos;s enrolment file, from clinicflow-server enrol: it says the station, its role and its server, and holds its key. The app keeps a copy.</source>
        <translation>clinicflow-server enrol이 만든 단말 등록 파일: 단말 코드, 역할, 서버를 알려 주고 단말의 키를 담고 있습니다. 앱이 사본을 보관합니다.</translation>
    </message>
    <message>
        <source>--enrolment: %1</source>
        <translation>--enrolment: %1</translation>
    </message>
    <message>
        <source>--station %1: the enrolment is station %2&apos;s</source>
        <translation>--station %1: 등록 파일은 %2 단말의 것입니다</translation>
    </message>
    <message>
        <source>--role %1: the enrolment is a %2 station&apos;s</source>
        <translation>--role %1: 등록 파일은 %2 단말의 것입니다</translation>
    </message>
</context>
<context>
    <name>StatusStyle</name>
    <message>
        <source>Waiting</source>
        <translation>진료 대기</translation>
    </message>
    <message>
        <source>In treatment</source>
        <translation>검사 중</translation>
    </message>
    <message>
        <source>Results ready</source>
        <translation>결과 확인 대기</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>진료 완료</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>진료 거부</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>종결</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>접수 취소</translation>
    </message>
</context>
<context>
    <name>clinicflow::client::Application</name>
    <message>
        <source>Station not opened</source>
        <translation>단말을 열지 못했습니다</translation>
    </message>
    <message>
        <source>ClinicFlow workstation: front desk, consultation, examinations or status board.</source>
        <translation>ClinicFlow 단말: 원무, 진료실, 검사실, 현황판.</translation>
    </message>
    <message>
        <source>ClinicFlow</source>
        <translation>ClinicFlow</translation>
    </message>
    <message>
        <source>The station cannot start: %1</source>
        <translation>단말을 시작할 수 없습니다: %1</translation>
    </message>
</context>
<context>
    <name>clinicflow::client::BoardCounts</name>
    <message>
        <source>%1 %2</source>
        <comment>a department&apos;s name, then its count of visits</comment>
        <translation>%1 %2명</translation>
    </message>
    <message>
        <source>Closed visits: %1 completed, %2 refused</source>
        <translation>종결된 접수: 진료 완료 %1명, 진료 거부 %2명</translation>
    </message>
</context>
<context>
    <name>clinicflow::client::BoardScreen</name>
    <message>
        <source>Status board</source>
        <translation>현황판</translation>
    </message>
    <message>
        <source>Full screen on and off</source>
        <translation>전체 화면 켜기/끄기</translation>
    </message>
    <message>
        <source>Dark theme on and off</source>
        <translation>어두운 테마 켜기/끄기</translation>
    </message>
    <message>
        <source>Today&apos;s patients</source>
        <translation>오늘 진료 현황</translation>
    </message>
    <message>
        <source>Dark theme</source>
        <translation>어두운 테마</translation>
    </message>
    <message>
        <source>No visits yet today. Patients appear here as soon as they are registered.</source>
        <translation>오늘은 아직 접수된 환자가 없습니다. 접수하면 바로 여기에 표시됩니다.</translation>
    </message>
    <message numerus="yes">
        <source>%1 · %n visit(s)</source>
        <comment>the date, then how many visits the board lists</comment>
        <translation>
            <numerusform>%1 · 환자 %n명</numerusform>
        </translation>
    </message>
    <message>
        <source>Page %1 of %2 — the next page comes in a few seconds</source>
        <translation>%1/%2쪽 — 잠시 후 다음 쪽으로 넘어갑니다</translation>
    </message>
    <message>
        <source>No connection to the server yet: the board shows only what it has received.</source>
        <translation>아직 서버에 연결되지 않았습니다: 이 화면이 받은 내용만 표시됩니다.</translation>
    </message>
    <message>
        <source>No connection to the server since %1: later changes are not on the board yet.</source>
        <translation>%1부터 서버 연결이 끊겼습니다: 그 이후의 변경 사항은 아직 현황판에 반영되지 않았습니다.</translation>
    </message>
</context>
<context>
    <name>clinicflow::client::CancelExaminationDialog</name>
    <message>
        <source>Cancel %1 for %2</source>
        <translation>검사 취소: %2 %1</translation>
    </message>
    <message>
        <source>Cancel the %1 of %2 (%3)? The doctor sees the cancellation and your reason.</source>
        <translation>%2 (%3) 환자의 %1 — 이 검사를 취소하시겠습니까? 취소 사실과 사유가 담당의에게 표시됩니다.</translation>
    </message>
    <message>
        <source>The patient did not come</source>
        <translation>환자가 오지 않음</translation>
    </message>
    <message>
        <source>The patient declined the examination</source>
        <translation>환자가 검사를 거부함</translation>
    </message>
    <message>
        <source>Not possible for the patient&apos;s condition</source>
        <translation>환자 상태로 시행 불가</translation>
    </message>
    <message>
        <source>The equipment is unavailable</source>
        <translation>장비 사용 불가</translation>
    </message>
    <message>
        <source>Why, e.g. the patient did not come</source>
        <translation>사유 (예: 환자가 오지 않음)</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>사유(&amp;R):</translation>
    </message>
    <message>
        <source>Cancel the examination</source>
        <translation>검사 취소</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>검사 유지</translation>
    </message>
</context>
<context>
    <name>clinicflow::client::CancelVisitDialog</name>
    <message>
        <source>Cancel visit %1</source>
        <translation>접수 취소: %1</translation>
    </message>
    <message>
        <source>Cancel the visit %1 of %2? The doctor&apos;s consultation and any examinations not yet done are withdrawn.</source>
        <translation>%2 환자의 접수(%1)를 취소하시겠습니까? 진료와 아직 시행하지 않은 검사가 모두 철회됩니다.</translation>
    </message>
    <message>
        <source>Why, e.g. the patient left</source>
        <translation>사유 (예: 환자 귀가)</translation>
    </message>
    <message>
        <source>Cancel the visit</source>
        <translation>접수 취소</translation>
    </message>
    <message>
        <source>Keep the visit</source>
        <translation>접수 유지</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>사유:</translation>
    </message>
</context>
<context>
    <name>clinicflow::client::ConflictsPanel</name>
    <message>
        <source>The visit is no longer shown</source>
        <translation>더 이상 표시되지 않는 접수입니다</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>번호</translation>
    </message>
    <message>
        <source>Your action</source>
        <translation>요청한 작업</translation>
    </message>
    <message>
        <source>Why the server refused it</source>
        <translation>거부 사유</translation>
    </message>
    <message>
        <source>Shown now</source>
        <translation>현재 상태</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>확인</translation>
    </message>
</context>
<context>
    <name>clinicflow::client::ConnectionIndicator</name>
    <message>
        <source>Online</source>
        <translation>연결됨</translation>
    </message>
    <message numerus="yes">
        <source>Syncing %Ln</source>
        <comment>events still to fetch</comment>
        <translation>
            <numerusform>동기화 중 (%Ln건)</numerusform>
        </translation>
    </message>
    <message>
        <source>Syncing</source>
        <translation>동기화 중</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>연결 중…</translation>
    </message>
    <message>
        <source>Offline: saved, will send when connected</source>
        <translation>오프라인: 저장됨 — 연결되면 보냅니다</translation>
    </message>
    <message>
        <source>All actions confirmed</source>
        <translation>모든 작업 반영됨</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting for the server</source>
        <translation>
            <numerusform>서버 확인 대기 %n건</numerusform>
        </translation>
    </message>
    <message>
        <source>Last contact %1</source>
        <translation>마지막 연결 %1</translation>
    </message>
    <message>
        <source>Not connected yet</source>
        <translation>아직 연결되지 않음</translation>
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
    <name>clinicflow::client::DoctorScreen</name>
    <message>
        <source>Consultation: %1</source>
        <translation>진료실: %1</translation>
    </message>
    <message>
        <source>Go to the queue (the next patient is at the top)</source>
        <translation>대기 목록으로 이동 (다음 환자가 맨 위)</translation>
    </message>
    <message>
        <source>Open the previous patient in the queue</source>
        <translation>대기 목록의 이전 환자 열기</translation>
    </message>
    <message>
        <source>Open the next patient in the queue</source>
        <translation>대기 목록의 다음 환자 열기</translation>
    </message>
    <message>
        <source>Prescribe examinations for the open visit</source>
        <translation>선택한 환자에게 검사 처방</translation>
    </message>
    <message>
        <source>Review the open visit&apos;s examination results</source>
        <translation>선택한 환자의 검사 결과 확인</translation>
    </message>
    <message>
        <source>Complete the open visit&apos;s treatment</source>
        <translation>선택한 환자의 진료 완료</translation>
    </message>
    <message>
        <source>Refuse the open visit&apos;s treatment</source>
        <translation>선택한 환자의 진료 거부</translation>
    </message>
    <message>
        <source>Confirm a dialog</source>
        <translation>대화 상자에서 확인</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <comment>doctor, then department</comment>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Prescribe  %1</source>
        <translation>처방  %1</translation>
    </message>
    <message>
        <source>Review results  %1</source>
        <translation>결과 확인  %1</translation>
    </message>
    <message>
        <source>Complete  %1</source>
        <translation>진료 완료  %1</translation>
    </message>
    <message>
        <source>Refuse  %1</source>
        <translation>진료 거부  %1</translation>
    </message>
    <message>
        <source>No patients waiting. Patients the desk assigns to you appear here.</source>
        <translation>대기 중인 환자가 없습니다. 원무에서 배정한 환자가 여기에 표시됩니다.</translation>
    </message>
    <message>
        <source>Waiting %1</source>
        <translation>진료 대기 %1명</translation>
    </message>
    <message>
        <source>Results ready %1</source>
        <translation>결과 확인 대기 %1명</translation>
    </message>
    <message>
        <source>At examinations %1</source>
        <translation>검사 중 %1명</translation>
    </message>
    <message>
        <source>No visit open. Your patients appear in the queue on the left as the desk registers them.</source>
        <translation>선택한 환자가 없습니다. 원무에서 접수하면 왼쪽 대기 목록에 환자가 표시됩니다.</translation>
    </message>
    <message>
        <source>Select a patient in the queue to open their visit.
The next patient is at the top (%1 goes to the queue).</source>
        <translation>대기 목록에서 환자를 선택하세요.
다음 환자가 맨 위에 있습니다 (%1: 대기 목록으로 이동).</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <comment>patient name, then ticket</comment>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Not now: %1</source>
        <translation>지금은 할 수 없습니다: %1</translation>
    </message>
    <message>
        <source>New patient: prescribe examinations (%1), or complete the consultation if none is needed (%2).</source>
        <translation>새 환자입니다. 검사를 처방하거나(%1), 검사가 필요 없으면 진료를 완료하세요(%2).</translation>
    </message>
    <message numerus="yes">
        <source>Waiting for %n examination result(s). You can prescribe more (%1).</source>
        <translation>
            <numerusform>검사 결과 %n건을 기다리고 있습니다. 검사를 더 처방할 수 있습니다(%1).</numerusform>
        </translation>
    </message>
    <message>
        <source>Results are ready: review them (%1).</source>
        <translation>검사 결과가 나왔습니다. 결과를 확인하세요(%1).</translation>
    </message>
    <message>
        <source>Select a patient in the queue first (%1).</source>
        <translation>먼저 대기 목록에서 환자를 선택하세요(%1).</translation>
    </message>
    <message>
        <source>%1 is not possible now: %2</source>
        <translation>%1 불가: %2</translation>
    </message>
    <message>
        <source>Nothing prescribed for %1: %2</source>
        <translation>%1 환자에게 검사를 처방하지 못했습니다: %2</translation>
    </message>
    <message numerus="yes">
        <source>%n examination(s) prescribed for %1</source>
        <translation>
            <numerusform>%1 환자에게 검사 %n건을 처방했습니다</numerusform>
        </translation>
    </message>
    <message>
        <source>Results of %1 not marked reviewed: %2</source>
        <translation>%1 환자의 검사 결과를 확인 처리하지 못했습니다: %2</translation>
    </message>
    <message>
        <source>Results of %1 reviewed</source>
        <translation>%1 환자의 검사 결과를 확인했습니다</translation>
    </message>
    <message>
        <source>Treatment of %1 not completed: %2</source>
        <translation>%1 환자의 진료를 완료하지 못했습니다: %2</translation>
    </message>
    <message>
        <source>Treatment of %1 completed: the desk will confirm the outcome</source>
        <translation>%1 환자의 진료를 완료했습니다. 원무에서 종결 처리합니다</translation>
    </message>
    <message>
        <source>Treatment of %1 not refused: %2</source>
        <translation>%1 환자의 진료 거부를 처리하지 못했습니다: %2</translation>
    </message>
    <message>
        <source>Treatment of %1 refused: the desk will confirm the outcome</source>
        <translation>%1 환자의 진료 거부를 기록했습니다. 원무에서 종결 처리합니다</translation>
    </message>
    <message>
        <source>Hand over  %1</source>
        <translation>인계  %1</translation>
    </message>
    <message>
        <source>%1 not handed over: %2</source>
        <translation>%1 인계 안 됨: %2</translation>
    </message>
    <message>
        <source>%1 handed over to %2</source>
        <translation>%1 환자를 %2에게 인계했습니다</translation>
    </message>
    <message>
        <source>Results reviewed: complete the treatment (%1).</source>
        <translation>결과를 확인했습니다. 진료를 완료하세요(%1).</translation>
    </message>
    <message>
        <source>No result: the examination room cancelled what was prescribed. Prescribe again (%1), or review (%2) to go on without it.</source>
        <translation>결과 없음: 검사실에서 처방한 검사를 취소했습니다. 다시 처방하거나(%1), 검사 없이 진행하려면 결과를 확인하세요(%2).</translation>
    </message>
    <message numerus="yes">
        <source>Results are ready: review them (%1). %n examination(s) cancelled: prescribe again (%2) before the review if needed.</source>
        <translation>
            <numerusform>검사 결과가 나왔습니다. 결과를 확인하세요(%1). 취소된 검사 %n건: 필요하면 결과 확인 전에 다시 처방하세요(%2).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>clinicflow::client::ExamTypesButton</name>
    <message>
        <source>All types</source>
        <translation>모든 검사</translation>
    </message>
</context>
<context>
    <name>clinicflow::client::ExaminationChecklist</name>
    <message>
        <source>Requested</source>
        <translation>검사 대기</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>시행 완료</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>검사 취소</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>철회</translation>
    </message>
    <message>
        <source>Waiting for the examination room</source>
        <translation>검사실 대기 중</translation>
    </message>
    <message>
        <source>Cancelled by the examiner: %1</source>
        <translation>검사실에서 취소: %1</translation>
    </message>
    <message>
        <source>Withdrawn: the visit was cancelled</source>
        <translation>철회: 접수가 취소되었습니다</translation>
    </message>
    <message>
        <source>Withdrawn: the treatment was refused</source>
        <translation>철회: 진료가 거부되었습니다</translation>
    </message>
    <message>
        <source>Not yet confirmed</source>
        <translation>서버 확인 전</translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation>메모: %1</translation>
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
    <message>
        <source>Waiting</source>
        <translation>대기 시간</translation>
    </message>
</context>
<context>
    <name>clinicflow::client::ExaminerScreen</name>
    <message>
        <source>Examinations: %1</source>
        <translation>검사실: %1</translation>
    </message>
    <message>
        <source>Perform the selected examination with the result typed</source>
        <translation>입력한 결과로 선택한 검사 시행</translation>
    </message>
    <message>
        <source>Cancel the selected examination, with a reason</source>
        <translation>선택한 검사 취소 (사유 입력)</translation>
    </message>
    <message>
        <source>Next request in the queue</source>
        <translation>대기 목록의 다음 요청</translation>
    </message>
    <message>
        <source>Previous request in the queue</source>
        <translation>대기 목록의 이전 요청</translation>
    </message>
    <message>
        <source>In the queue: type the result of the selected request</source>
        <translation>대기 목록에서: 선택한 요청의 결과 입력</translation>
    </message>
    <message>
        <source>Choose the examination types this room does</source>
        <translation>이 검사실에서 시행하는 검사 선택</translation>
    </message>
    <message>
        <source>all types</source>
        <translation>모든 검사</translation>
    </message>
    <message>
        <source>Types: %1</source>
        <translation>검사 종류: %1</translation>
    </message>
    <message>
        <source>No examinations waiting. New requests from the doctors appear here.</source>
        <translation>대기 중인 검사가 없습니다. 의사가 새로 요청한 검사가 여기에 표시됩니다.</translation>
    </message>
    <message>
        <source>No requests for %1 waiting. New ones appear here; the Types button chooses what this room does.</source>
        <translation>대기 중인 검사가 없습니다 (%1). 새 요청이 여기에 표시됩니다. 이 검사실의 검사는 &apos;검사 종류&apos; 버튼으로 고릅니다.</translation>
    </message>
    <message>
        <source>Requested examinations (%1)</source>
        <translation>요청된 검사 (%1)</translation>
    </message>
    <message>
        <source>%1 for %2 was performed in another room: it left your queue</source>
        <translation>%2 %1 — 다른 검사실에서 시행되어 목록에서 빠졌습니다</translation>
    </message>
    <message>
        <source>%1 for %2 was cancelled in another room: it left your queue</source>
        <translation>%2 %1 — 다른 검사실에서 취소되어 목록에서 빠졌습니다</translation>
    </message>
    <message>
        <source>%1 for %2 was called off: the treatment was refused</source>
        <translation>%2 %1 — 진료 거부로 검사가 철회되었습니다</translation>
    </message>
    <message>
        <source>%1 for %2 was called off: the visit was cancelled</source>
        <translation>%2 %1 — 접수 취소로 검사가 철회되었습니다</translation>
    </message>
    <message>
        <source>%1 for %2 left your queue: %3</source>
        <translation>%2 %1 — 목록에서 빠졌습니다: %3</translation>
    </message>
    <message>
        <source>Nothing to do: no request is waiting. A new one is selected here as soon as it arrives.</source>
        <translation>대기 중인 요청이 없습니다. 새 요청이 들어오면 바로 여기에 표시됩니다.</translation>
    </message>
    <message>
        <source>Select a request in the queue: its patient and the doctor&apos;s note appear here.</source>
        <translation>대기 목록에서 요청을 선택하세요. 환자 정보와 의사 메모가 여기에 표시됩니다.</translation>
    </message>
    <message>
        <source>Select a request in the queue first</source>
        <translation>먼저 대기 목록에서 요청을 선택하세요</translation>
    </message>
    <message>
        <source>Type the result before performing the examination</source>
        <translation>검사를 시행하기 전에 결과를 입력하세요</translation>
    </message>
    <message numerus="yes">
        <source>At most %n characters</source>
        <translation>
            <numerusform>%n자 이내로 입력하세요</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 for %2 not performed: %3</source>
        <translation>%2 %1 — 검사를 시행하지 못했습니다: %3</translation>
    </message>
    <message>
        <source>%1 for %2 performed: the result is on its way to the doctor</source>
        <translation>%2 %1 — 검사를 시행했습니다. 결과가 담당의에게 전달됩니다</translation>
    </message>
    <message>
        <source>Select the request to cancel in the queue first</source>
        <translation>먼저 대기 목록에서 취소할 요청을 선택하세요</translation>
    </message>
    <message>
        <source>%1 for %2 not cancelled: %3</source>
        <translation>%2 %1 — 검사를 취소하지 못했습니다: %3</translation>
    </message>
    <message>
        <source>%1 for %2 cancelled</source>
        <translation>%2 %1 — 검사를 취소했습니다</translation>
    </message>
    <message>
        <source>%1 for %2 refused by the server: %3</source>
        <translation>%2 %1 — 서버에서 거부되었습니다: %3</translation>
    </message>
</context>
<context>
    <name>clinicflow::client::HandOverDialog</name>
    <message>
        <source>Hand over: %1</source>
        <translation>환자 인계: %1</translation>
    </message>
    <message>
        <source>Hand %1 over to a colleague. The patient leaves your queue and appears in theirs; only they can act on this consultation from then on.</source>
        <translation>%1 환자를 다른 의사에게 인계합니다. 환자는 내 대기열에서 빠지고 인계받은 의사의 대기열에 나타나며, 이후 이 진료는 그 의사만 진행할 수 있습니다.</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <comment>doctor, then department</comment>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>e.g. end of my shift; needs a surgeon</source>
        <translation>예: 근무 교대, 외과 진료 필요</translation>
    </message>
    <message>
        <source>&amp;Colleague:</source>
        <translation>인계받을 의사(&amp;C):</translation>
    </message>
    <message>
        <source>&amp;Reason (optional):</source>
        <translation>사유(선택)(&amp;R):</translation>
    </message>
    <message>
        <source>Hand over</source>
        <translation>인계</translation>
    </message>
    <message>
        <source>Keep the patient</source>
        <translation>인계하지 않음</translation>
    </message>
</context>
<context>
    <name>clinicflow::client::MainWindow</name>
    <message>
        <source>&amp;Station</source>
        <translation>단말(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>설정(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>종료(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Conflicts</source>
        <translation>거부된 작업(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Full screen</source>
        <translation>전체 화면(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>언어(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>단축키(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About ClinicFlow</source>
        <translation>ClinicFlow 정보(&amp;A)</translation>
    </message>
    <message>
        <source>About ClinicFlow</source>
        <translation>ClinicFlow 정보</translation>
    </message>
    <message>
        <source>ClinicFlow %1: a hospital&apos;s patient flow, from the front desk to the end of treatment.</source>
        <translation>ClinicFlow %1: 접수부터 진료 종료까지 병원의 환자 흐름을 관리합니다.</translation>
    </message>
    <message>
        <source>Refused actions</source>
        <translation>거부된 작업</translation>
    </message>
    <message numerus="yes">
        <source>%n refused action(s)</source>
        <translation>
            <numerusform>거부된 작업 %n건</numerusform>
        </translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>단축키</translation>
    </message>
    <message>
        <source>Show this list</source>
        <translation>이 목록 보기</translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation>전체 화면</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>키</translation>
    </message>
    <message>
        <source>Does</source>
        <translation>기능</translation>
    </message>
    <message>
        <source>%1 · station %2 · %3</source>
        <translation>%1 · 단말 %2 · %3</translation>
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
    <message>
        <source>Doctor&apos;s note</source>
        <translation>의사 메모</translation>
    </message>
</context>
<context>
    <name>clinicflow::client::OutcomeDialog</name>
    <message>
        <source>Review results: %1</source>
        <translation>결과 확인: %1</translation>
    </message>
    <message>
        <source>Findings (optional):</source>
        <translation>소견 (선택):</translation>
    </message>
    <message>
        <source>Mark reviewed  %1</source>
        <translation>확인 완료  %1</translation>
    </message>
    <message>
        <source>Not yet</source>
        <translation>나중에</translation>
    </message>
    <message>
        <source>Complete treatment: %1</source>
        <translation>진료 완료: %1</translation>
    </message>
    <message>
        <source>Complete the treatment of %1. The front desk then confirms the outcome and closes the visit.</source>
        <translation>%1 환자의 진료를 완료합니다. 이후 원무에서 진료 결과를 확인하고 종결 처리합니다.</translation>
    </message>
    <message>
        <source>Outcome note for the record (optional), e.g. diagnosis and advice:</source>
        <translation>진료 결과 메모 (선택, 예: 진단과 안내 사항):</translation>
    </message>
    <message>
        <source>Complete treatment  %1</source>
        <translation>진료 완료  %1</translation>
    </message>
    <message>
        <source>Refuse treatment: %1</source>
        <translation>진료 거부: %1</translation>
    </message>
    <message>
        <source>Refuse the treatment of %1? The front desk is told, and the visit leaves your queue.</source>
        <translation>%1 환자의 진료를 거부하시겠습니까? 원무에 알리고 환자는 대기 목록에서 빠집니다.</translation>
    </message>
    <message>
        <source>No examination is waiting: nothing will be withdrawn.</source>
        <translation>대기 중인 검사가 없어 철회되는 검사는 없습니다.</translation>
    </message>
    <message numerus="yes">
        <source>These examinations have not been done and will be withdrawn:</source>
        <translation>
            <numerusform>아직 시행하지 않은 다음 검사가 철회됩니다:</numerusform>
        </translation>
    </message>
    <message>
        <source>Reason (required), e.g. the patient declined the examinations:</source>
        <translation>사유 (필수, 예: 환자가 검사를 거부함):</translation>
    </message>
    <message>
        <source>Refuse treatment  %1</source>
        <translation>진료 거부  %1</translation>
    </message>
    <message>
        <source>Keep treating</source>
        <translation>진료 계속</translation>
    </message>
    <message>
        <source>Mark the examination results of %1 as reviewed. No more examinations can be prescribed after that: the next step is to complete the treatment.</source>
        <translation>%1 환자의 검사 결과를 확인 완료로 표시합니다. 표시한 뒤에는 검사를 더 처방할 수 없으며, 다음 단계는 진료 완료입니다.</translation>
    </message>
</context>
<context>
    <name>clinicflow::client::PrescribeDialog</name>
    <message>
        <source>Prescribe examinations: %1</source>
        <translation>검사 처방: %1</translation>
    </message>
    <message>
        <source>Search by name or code, Enter ticks</source>
        <translation>이름이나 코드로 검색, Enter로 선택</translation>
    </message>
    <message>
        <source>%1 (already requested)</source>
        <translation>%1 (이미 요청됨)</translation>
    </message>
    <message>
        <source>Optional, e.g. fasting since last night</source>
        <translation>선택 사항 (예: 어젯밤부터 금식)</translation>
    </message>
    <message>
        <source>Choose the examinations to prescribe:</source>
        <translation>처방할 검사를 선택하세요:</translation>
    </message>
    <message>
        <source>Note for the examination room:</source>
        <translation>검사실 전달 메모:</translation>
    </message>
    <message>
        <source>No examination in the catalogue matches &quot;%1&quot;.</source>
        <translation>&quot;%1&quot;에 해당하는 검사가 목록에 없습니다.</translation>
    </message>
    <message>
        <source>Nothing chosen yet.</source>
        <translation>아직 선택한 검사가 없습니다.</translation>
    </message>
    <message>
        <source>Chosen: %1</source>
        <translation>선택: %1</translation>
    </message>
    <message>
        <source>, </source>
        <comment>between examination names</comment>
        <translation>, </translation>
    </message>
    <message>
        <source>Prescribe  %1</source>
        <translation>처방  %1</translation>
    </message>
    <message numerus="yes">
        <source>Prescribe %n examination(s)  %1</source>
        <translation>
            <numerusform>검사 %n건 처방  %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>clinicflow::client::ReceptionScreen</name>
    <message>
        <source>Front desk</source>
        <translation>원무</translation>
    </message>
    <message>
        <source>Register the visit in the form</source>
        <translation>입력한 내용으로 접수 등록</translation>
    </message>
    <message>
        <source>Search today&apos;s visits by ticket, name or phone</source>
        <translation>오늘 접수 목록을 번호, 이름, 전화번호로 검색</translation>
    </message>
    <message>
        <source>Go to the visits waiting for confirmation</source>
        <translation>종결 대기 목록으로 이동</translation>
    </message>
    <message>
        <source>Confirm the selected outcome</source>
        <translation>선택한 환자 종결 처리</translation>
    </message>
    <message>
        <source>Cancel the selected visit</source>
        <translation>선택한 접수 취소</translation>
    </message>
    <message>
        <source>Search: ticket, name or phone (Ctrl+F)</source>
        <translation>검색: 번호, 이름, 전화번호 (Ctrl+F)</translation>
    </message>
    <message>
        <source>Cancel visit…</source>
        <translation>접수 취소…</translation>
    </message>
    <message>
        <source>Confirm outcome  Enter</source>
        <translation>종결 처리  Enter</translation>
    </message>
    <message>
        <source>No visits today yet. Registered visits appear here.</source>
        <translation>오늘 접수된 환자가 아직 없습니다. 접수하면 여기에 표시됩니다.</translation>
    </message>
    <message>
        <source>No outcome to confirm. Completed and refused treatments appear here.</source>
        <translation>종결 처리할 환자가 없습니다. 진료 완료·진료 거부된 환자가 여기에 표시됩니다.</translation>
    </message>
    <message>
        <source>Every status</source>
        <translation>모든 상태</translation>
    </message>
    <message>
        <source>Every department</source>
        <translation>모든 진료과</translation>
    </message>
    <message>
        <source>Today&apos;s visits (%1)</source>
        <translation>오늘 접수 (%1)</translation>
    </message>
    <message>
        <source>To confirm (%1)</source>
        <translation>종결 대기 (%1)</translation>
    </message>
    <message>
        <source>Registered: ticket %1</source>
        <translation>접수되었습니다: 대기번호 %1</translation>
    </message>
    <message>
        <source>Select the visit to cancel in today&apos;s visits</source>
        <translation>오늘 접수 목록에서 취소할 접수를 선택하세요</translation>
    </message>
    <message>
        <source>Visit %1 not cancelled: %2</source>
        <translation>%1 접수를 취소하지 못했습니다: %2</translation>
    </message>
    <message>
        <source>Visit %1 cancelled</source>
        <translation>%1 접수를 취소했습니다</translation>
    </message>
    <message>
        <source>Select the visit whose outcome you confirm</source>
        <translation>종결 처리할 환자를 선택하세요</translation>
    </message>
    <message>
        <source>Outcome of %1 not confirmed: %2</source>
        <translation>%1 종결 처리하지 못했습니다: %2</translation>
    </message>
    <message>
        <source>Outcome of %1 confirmed: the visit is closed</source>
        <translation>%1 종결 처리했습니다</translation>
    </message>
    <message>
        <source>Print the ticket shown (select a visit to print its ticket again)</source>
        <translation>표시된 번호표 인쇄 (목록에서 접수를 선택하면 그 번호표를 다시 인쇄)</translation>
    </message>
</context>
<context>
    <name>clinicflow::client::RegistrationForm</name>
    <message>
        <source>Not recorded</source>
        <translation>미입력</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>여성</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>남성</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>기타</translation>
    </message>
    <message>
        <source>Choose a department</source>
        <translation>진료과 선택</translation>
    </message>
    <message>
        <source>Next ticket: %1</source>
        <translation>다음 대기번호: %1</translation>
    </message>
    <message>
        <source>Any doctor (the least busy)</source>
        <translation>지정 안 함 (대기 적은 의사)</translation>
    </message>
    <message>
        <source>Age about</source>
        <translation>추정 나이</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>나이</translation>
    </message>
</context>
<context>
    <name>clinicflow::client::RequestPanel</name>
    <message>
        <source>Urgent</source>
        <translation>응급</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>환자</translation>
    </message>
    <message>
        <source>Born</source>
        <translation>생년월일</translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation>요청 의사</translation>
    </message>
    <message>
        <source>Requested at</source>
        <translation>요청 시각</translation>
    </message>
    <message>
        <source>The doctor&apos;s note</source>
        <translation>의사 메모</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <comment>birth date, then age and sex</comment>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Birth date unknown (%1)</source>
        <comment>age and sex</comment>
        <translation>생년월일 모름 (%1)</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <comment>doctor, then department</comment>
        <translation>%2 %1</translation>
    </message>
    <message numerus="yes">
        <source>%1 · %n min ago</source>
        <comment>request time, then how long ago</comment>
        <translation>
            <numerusform>%1 · %n분 전</numerusform>
        </translation>
    </message>
    <message>
        <source>No note</source>
        <translation>메모 없음</translation>
    </message>
</context>
<context>
    <name>clinicflow::client::ResultForm</name>
    <message>
        <source>&amp;Result</source>
        <translation>결과(&amp;R)</translation>
    </message>
    <message>
        <source>Type the result here, then Perform (Ctrl+Enter)</source>
        <translation>결과를 입력한 뒤 시행을 누르세요 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Perform  Ctrl+Enter</source>
        <translation>시행  Ctrl+Enter</translation>
    </message>
    <message>
        <source>Cancel with reason…</source>
        <translation>검사 취소…</translation>
    </message>
    <message>
        <source>Perform the examination with this result (Ctrl+Enter)</source>
        <translation>입력한 결과로 검사를 시행합니다 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Cancel the examination; you are asked why (Ctrl+Delete)</source>
        <translation>검사를 취소합니다. 취소 사유를 묻습니다 (Ctrl+Delete)</translation>
    </message>
</context>
<context>
    <name>clinicflow::client::SetupDialog</name>
    <message>
        <source>&amp;Doctor</source>
        <translation>의사(&amp;D)</translation>
    </message>
    <message>
        <source>Set up this workstation</source>
        <translation>단말 설정</translation>
    </message>
    <message>
        <source>e.g. A</source>
        <translation>예: A</translation>
    </message>
    <message>
        <source>Front desk (receptionist)</source>
        <translation>원무 (접수)</translation>
    </message>
    <message>
        <source>Consultation room (doctor)</source>
        <translation>진료실 (의사)</translation>
    </message>
    <message>
        <source>Examination room (examiner)</source>
        <translation>검사실 (검사자)</translation>
    </message>
    <message>
        <source>Status board</source>
        <translation>현황판</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>As the system</source>
        <translation>시스템 설정에 따름</translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation>서버(&amp;S)</translation>
    </message>
    <message>
        <source>S&amp;tation code</source>
        <translation>단말 코드(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Role</source>
        <translation>역할(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>언어(&amp;L)</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>시작</translation>
    </message>
    <message>
        <source>An address like tcp://clinic-server:7470</source>
        <translation>tcp://clinic-server:7470 형식의 주소를 입력하세요</translation>
    </message>
    <message>
        <source>Ask the clinic&apos;s IT staff for this station&apos;s enrolment file. It says which station this is and where its server is, and holds the key that lets it in.</source>
        <translation>병원 IT 담당자에게 이 단말의 등록 파일을 요청하세요. 어느 단말인지, 서버가 어디인지 알려 주고 접속에 필요한 키를 담고 있습니다.</translation>
    </message>
    <message>
        <source>&amp;Import enrolment file…</source>
        <translation>등록 파일 가져오기(&amp;I)…</translation>
    </message>
    <message>
        <source>Enrolment</source>
        <translation>등록</translation>
    </message>
    <message>
        <source>This station&apos;s enrolment file</source>
        <translation>이 단말의 등록 파일</translation>
    </message>
    <message>
        <source>Enrolment files (*.json);;All files (*)</source>
        <translation>등록 파일 (*.json);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Not imported: %1</source>
        <translation>가져오지 못했습니다: %1</translation>
    </message>
    <message>
        <source>None yet: this workstation cannot connect without one.</source>
        <translation>아직 없습니다: 등록 파일이 없으면 서버에 연결할 수 없습니다.</translation>
    </message>
    <message>
        <source>Station %1, %2</source>
        <translation>단말 %1, %2</translation>
    </message>
    <message>
        <source>Import this station&apos;s enrolment file first.</source>
        <translation>먼저 이 단말의 등록 파일을 가져오세요.</translation>
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
        <source>Examinations</source>
        <translation>검사</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>대기 시간</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>상태</translation>
    </message>
</context>
<context>
    <name>clinicflow::client::TicketPanel</name>
    <message>
        <source>The ticket of the next registration appears here</source>
        <translation>접수하면 대기번호가 여기에 표시됩니다</translation>
    </message>
    <message>
        <source>Registered: the patient&apos;s ticket</source>
        <translation>접수 완료: 환자 대기번호</translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation>%1 · %2 · %3</translation>
    </message>
    <message>
        <source>doctor to be assigned</source>
        <translation>담당의 배정 예정</translation>
    </message>
    <message>
        <source>Print ticket %1</source>
        <translation>번호표 인쇄: %1</translation>
    </message>
    <message>
        <source>Not registered: the server did not accept it</source>
        <translation>접수되지 않음: 서버가 받아들이지 않았습니다</translation>
    </message>
    <message>
        <source>See why under &quot;Refused actions&quot;, then register the patient again</source>
        <translation>&quot;거부된 작업&quot;에서 이유를 확인한 뒤 다시 접수하세요</translation>
    </message>
    <message>
        <source>Registration cancelled</source>
        <translation>접수 취소됨</translation>
    </message>
    <message>
        <source>The patient is no longer waiting; there is no ticket to print</source>
        <translation>대기 중인 환자가 아니므로 인쇄할 번호표가 없습니다</translation>
    </message>
    <message>
        <source>Ticket of the selected visit</source>
        <translation>선택한 접수의 대기번호</translation>
    </message>
    <message>
        <source>Print ticket  %1</source>
        <translation>번호표 인쇄  %1</translation>
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
<context>
    <name>clinicflow::client::VisitPanel</name>
    <message>
        <source>Urgent</source>
        <translation>응급</translation>
    </message>
    <message>
        <source>Chief complaint</source>
        <translation>주호소</translation>
    </message>
    <message>
        <source>Examinations</source>
        <translation>검사</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>진행 기록</translation>
    </message>
    <message>
        <source>Not yet confirmed by the server</source>
        <translation>서버 확인 전</translation>
    </message>
    <message>
        <source>Nothing recorded yet</source>
        <translation>아직 기록이 없습니다</translation>
    </message>
    <message>
        <source>This visit is no longer on this station. Select another patient in the queue.</source>
        <translation>이 단말에서 더 이상 볼 수 없는 접수입니다. 대기 목록에서 다른 환자를 선택하세요.</translation>
    </message>
    <message>
        <source>No examinations prescribed yet. Prescribe them with %1.</source>
        <translation>아직 처방한 검사가 없습니다. %1 키로 처방하세요.</translation>
    </message>
    <message>
        <source>No examinations were prescribed.</source>
        <translation>처방된 검사가 없습니다.</translation>
    </message>
    <message>
        <source>%1 of %2 finished</source>
        <translation>%2건 중 %1건 완료</translation>
    </message>
    <message>
        <source>Review note: %1</source>
        <translation>검사 결과 소견: %1</translation>
    </message>
    <message>
        <source>Reason for refusal: %1</source>
        <translation>진료 거부 사유: %1</translation>
    </message>
    <message>
        <source>Outcome note: %1</source>
        <translation>진료 결과 메모: %1</translation>
    </message>
    <message>
        <source>New patient (no patient number)</source>
        <translation>신규 환자 (환자번호 없음)</translation>
    </message>
    <message>
        <source>Patient no. %1</source>
        <translation>환자번호 %1</translation>
    </message>
    <message>
        <source>Born %1</source>
        <translation>생년월일 %1</translation>
    </message>
    <message>
        <source>Received %1</source>
        <translation>접수 %1</translation>
    </message>
    <message>
        <source>Waited %1</source>
        <translation>대기 시간 %1</translation>
    </message>
    <message>
        <source>Waiting %1</source>
        <translation>%1째 대기 중</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <comment>patient name, then ticket</comment>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Treatment completed: %1 has left your queue.</source>
        <translation>진료 완료: %1 환자가 대기 목록에서 빠졌습니다.</translation>
    </message>
    <message>
        <source>Treatment refused: %1 has left your queue.</source>
        <translation>진료 거부: %1 환자가 대기 목록에서 빠졌습니다.</translation>
    </message>
    <message>
        <source>The desk cancelled this visit: %1 has left your queue.</source>
        <translation>원무에서 접수를 취소했습니다: %1 환자가 대기 목록에서 빠졌습니다.</translation>
    </message>
    <message>
        <source>The desk cancelled this visit (%2): %1 has left your queue.</source>
        <translation>원무에서 접수를 취소했습니다 (%2): %1 환자가 대기 목록에서 빠졌습니다.</translation>
    </message>
    <message>
        <source>%1 is not in your queue.</source>
        <translation>%1 환자는 내 대기 목록에 없습니다.</translation>
    </message>
    <message>
        <source>%1 %2 opens the next patient.</source>
        <comment>after the sentence saying why the visit left</comment>
        <translation>%1 %2 키로 다음 환자를 엽니다.</translation>
    </message>
</context>
</TS>
