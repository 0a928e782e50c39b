# client/screens/doctor: the doctor's consultation screen.
clinicflow_add_screens(doctor
    ${CMAKE_CURRENT_LIST_DIR}/DoctorController.cpp ${CMAKE_CURRENT_LIST_DIR}/DoctorController.h
    ${CMAKE_CURRENT_LIST_DIR}/DoctorScreen.cpp ${CMAKE_CURRENT_LIST_DIR}/DoctorScreen.h
    ${CMAKE_CURRENT_LIST_DIR}/DoctorScreenActions.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ExaminationChecklist.cpp ${CMAKE_CURRENT_LIST_DIR}/ExaminationChecklist.h
    ${CMAKE_CURRENT_LIST_DIR}/HandOverDialog.cpp ${CMAKE_CURRENT_LIST_DIR}/HandOverDialog.h
    ${CMAKE_CURRENT_LIST_DIR}/OutcomeDialog.cpp ${CMAKE_CURRENT_LIST_DIR}/OutcomeDialog.h
    ${CMAKE_CURRENT_LIST_DIR}/PrescribeDialog.cpp ${CMAKE_CURRENT_LIST_DIR}/PrescribeDialog.h
    ${CMAKE_CURRENT_LIST_DIR}/VisitPanel.cpp ${CMAKE_CURRENT_LIST_DIR}/VisitPanel.h
)
