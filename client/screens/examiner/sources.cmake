# client/screens/examiner: the examination room.
clinicflow_add_screens(examiner
    ${CMAKE_CURRENT_LIST_DIR}/CancelExaminationDialog.cpp ${CMAKE_CURRENT_LIST_DIR}/CancelExaminationDialog.h
    ${CMAKE_CURRENT_LIST_DIR}/ExamTypesButton.cpp ${CMAKE_CURRENT_LIST_DIR}/ExamTypesButton.h
    ${CMAKE_CURRENT_LIST_DIR}/ExaminerController.cpp ${CMAKE_CURRENT_LIST_DIR}/ExaminerController.h
    ${CMAKE_CURRENT_LIST_DIR}/ExaminerScreen.cpp ${CMAKE_CURRENT_LIST_DIR}/ExaminerScreen.h
    ${CMAKE_CURRENT_LIST_DIR}/RequestPanel.cpp ${CMAKE_CURRENT_LIST_DIR}/RequestPanel.h
    ${CMAKE_CURRENT_LIST_DIR}/ResultForm.cpp ${CMAKE_CURRENT_LIST_DIR}/ResultForm.h
)
