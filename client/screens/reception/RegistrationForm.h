// The front desk's registration form (RegistrationForm.ui): the patient, the department and doctor, the complaint
// and the priority. Register (Ctrl+Enter) checks every field with the shared rules and puts each message beside its
// field; a valid visit is registered, the form clears, and the keyboard is back in the first field.
#pragma once

#include "store/StoreTypes.h"

#include <QWidget>
#include <memory>

class QLabel;

namespace Ui {
class RegistrationForm;
}

namespace clinicflow::client {

class ReceptionController;
struct RegistrationInput;

class RegistrationForm : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RegistrationForm)

public:
    explicit RegistrationForm(ReceptionController &controller, QWidget *parent = nullptr);
    ~RegistrationForm() override;

    RegistrationInput input() const;
    void clear();
    void focusFirst();
    // Re-reads the departments and doctors (the roster came with the server's Welcome) and the next ticket.
    void refreshLists();

public Q_SLOTS:
    void submit();

Q_SIGNALS:
    void registered(const clinicflow::client::SubmittedVisit &visit);

protected:
    void changeEvent(QEvent *event) override;

private:
    void fillDoctors();
    void showErrors(const QList<struct FieldErrorView> &errors);
    void clearErrors();
    QLabel *errorLabel(int field) const;
    void retranslate();
    QString ageLabel() const;

    std::unique_ptr<Ui::RegistrationForm> m_ui;
    ReceptionController &m_controller;
};

} // namespace clinicflow::client
