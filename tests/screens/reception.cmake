# The front desk: ReceptionController without widgets (its screen is driven against the real server in tests/app).
clinicflow_add_test(TestReceptionController SOURCES TestReceptionController.cpp
                    LIBRARIES clinicflow_screens_reception clinicflow_client_test_support)
# Its ticket panel's real widgets, offscreen, over a local store.
clinicflow_add_test(TestTicketPanel SOURCES TestTicketPanel.cpp
                    LIBRARIES clinicflow_screens_reception clinicflow_client_test_support GUI)
# Its registration form's real widgets, offscreen.
clinicflow_add_test(TestRegistrationForm SOURCES TestRegistrationForm.cpp
                    LIBRARIES clinicflow_screens_reception clinicflow_client_test_support GUI)
