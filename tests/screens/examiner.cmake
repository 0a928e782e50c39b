# The examination room: ExaminerController without widgets, then the screen's real widgets offscreen.
clinicflow_add_test(TestExaminerController SOURCES TestExaminerController.cpp
                    LIBRARIES clinicflow_screens_examiner clinicflow_client_test_support)
clinicflow_add_test(TestExaminerScreen SOURCES TestExaminerScreen.cpp
                    LIBRARIES clinicflow_screens_examiner clinicflow_client_test_support GUI)
