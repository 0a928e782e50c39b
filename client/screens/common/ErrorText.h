// What a person reads for a refusal: the shared rules' error codes in the user's language (their sentences are
// marked in the "ErrorCode" context by shared/domain/ErrorCode.cpp), a form field's message saying what to do, and
// a command's name as the user knows the action.
#pragma once

#include "domain/RegistrationFields.h"

#include <QCoreApplication>

namespace clinicflow::client {

class ErrorText
{
    Q_DECLARE_TR_FUNCTIONS(ErrorText)

public:
    // The code's sentence, translated; the detail (ids, tickets, a rule) after it when there is one.
    static QString sentence(const domain::Error &error);
    static QString sentence(domain::ErrorCode code, const QString &detail = {});
    // Beside a registration field: what is wrong and what to do, e.g. "Enter the patient's name".
    static QString forField(const domain::FieldError &error);
    // "Registration", "Cancel examination": the action a command stands for.
    static QString action(const QString &commandName);
};

} // namespace clinicflow::client
