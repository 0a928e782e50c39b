# The doctor's consultation screen: DoctorController without widgets, then the screen's widgets offscreen.
clinicflow_add_test(TestDoctorController SOURCES TestDoctorController.cpp
                    LIBRARIES clinicflow_screens_doctor clinicflow_client_test_support)
clinicflow_add_test(TestDoctorScreen SOURCES TestDoctorScreen.cpp
                    LIBRARIES clinicflow_screens_doctor clinicflow_client_test_support GUI)
