# client/screens/reception: the front desk.
clinicflow_add_screens(reception
    ${CMAKE_CURRENT_LIST_DIR}/CancelVisitDialog.cpp ${CMAKE_CURRENT_LIST_DIR}/CancelVisitDialog.h
    ${CMAKE_CURRENT_LIST_DIR}/ReceptionController.cpp ${CMAKE_CURRENT_LIST_DIR}/ReceptionController.h
    ${CMAKE_CURRENT_LIST_DIR}/ReceptionScreen.cpp ${CMAKE_CURRENT_LIST_DIR}/ReceptionScreen.h
    ${CMAKE_CURRENT_LIST_DIR}/RegistrationForm.cpp ${CMAKE_CURRENT_LIST_DIR}/RegistrationForm.h
    ${CMAKE_CURRENT_LIST_DIR}/RegistrationForm.ui
    ${CMAKE_CURRENT_LIST_DIR}/TicketPanel.cpp ${CMAKE_CURRENT_LIST_DIR}/TicketPanel.h
)
target_link_libraries(clinicflow_screens_reception PRIVATE Qt6::PrintSupport)
