// The board's table of visits (see BoardTable.h).
#include "BoardTable.h"

#include "BoardDelegate.h"
#include "models/ModelText.h"
#include "models/StatusBoardModel.h"
#include "store/LocalStore.h"

#include <QHeaderView>
#include <QIdentityProxyModel>
#include <QScrollBar>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace clinicflow::client {

using namespace domain;
using M = StatusBoardModel;

namespace {

constexpr int kRowTextPx = 28;    // on a wide screen
constexpr int kMinRowTextPx = 24; // on a narrow one: never smaller (SCREENS.md)
constexpr int kHeaderTextPx = 24;
constexpr int kIconPx = 28;

// The board's one change to the model's headers: "Exams" over a column of "1/2", where the full word would take the
// width a department's name needs.
class BoardHeaders final : public QIdentityProxyModel
{
public:
    using QIdentityProxyModel::QIdentityProxyModel;

    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (orientation == Qt::Horizontal && section == M::ExaminationsColumn) {
            if (role == Qt::DisplayRole)
                return QCoreApplication::translate("BoardTable", "Exams", "examinations done / prescribed, short");
            if (role == Qt::ToolTipRole)
                return QCoreApplication::translate("BoardTable", "Examinations done / prescribed");
        }
        return QIdentityProxyModel::headerData(section, orientation, role);
    }
};

// Pixels, set in points: QueueView scales the point size for its empty-state sentence, which a pixel-sized font
// does not have.
QFont sized(QFont font, int pixels, qreal dpi)
{
    font.setPointSizeF(pixels * 72.0 / dpi);
    return font;
}

} // namespace

BoardTable::BoardTable(StatusBoardModel *model, const LocalStore &store, QWidget *parent)
    : QueueView(parent)
    , m_store(store)
    , m_delegate(new BoardDelegate(this))
{
    setObjectName(u"boardTable"_s);
    auto *headers = new BoardHeaders(this);
    headers->setSourceModel(model);
    setModel(headers);
    setItemDelegate(m_delegate);
    m_delegate->setColumns(M::StatusColumn, M::TicketColumn, -1);
    m_delegate->setIconSize(kIconPx);
    setSelectionMode(QAbstractItemView::NoSelection);
    setFocusPolicy(Qt::NoFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollMode(QAbstractItemView::ScrollPerItem); // the scroll bar's value is the first row shown
    setCornerButtonEnabled(false);
    setFont(sized(font(), kRowTextPx, logicalDpiY()));
    setIconSize(QSize(kIconPx, kIconPx));
    QHeaderView *header = horizontalHeader();
    QFont headerFont = font();
    headerFont.setPixelSize(kHeaderTextPx);
    headerFont.setBold(true);
    header->setFont(headerFont);
    header->setStretchLastSection(false);
    header->setSectionsClickable(false);
    header->setSectionResizeMode(QHeaderView::Fixed);
    header->setSectionResizeMode(M::PatientColumn, QHeaderView::Stretch);
    header->setMinimumHeight(QFontMetrics(headerFont).height() + 16);
    connect(verticalScrollBar(), &QScrollBar::rangeChanged, this, &BoardTable::pageChanged);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, &BoardTable::pageChanged);
    connect(&store, &LocalStore::catalogueChanged, this, &BoardTable::layoutColumns);
}

void BoardTable::setTheme(const BoardTheme &theme)
{
    m_delegate->setTheme(theme);
    viewport()->update();
}

void BoardTable::resizeEvent(QResizeEvent *event)
{
    QueueView::resizeEvent(event);
    layoutColumns();
    Q_EMIT pageChanged();
}

// Each column as wide as the longest thing it can hold (the roster's names, the status words), the patient's column
// taking what is left. On a narrower screen the text steps down to 24 px before anything is cut, and then only the
// department and doctor columns give way, the wider first: the ticket, the visit's state and the times never do.
void BoardTable::layoutColumns()
{
    const Catalogue &catalogue = m_store.catalogue();
    QStringList departments, doctors;
    for (const Department &d : catalogue.departments())
        departments.append(d.name);
    for (const Doctor &d : catalogue.doctors())
        doctors.append(d.name);
    const QStringList states = ModelText::visitStates();

    const QFontMetrics head(horizontalHeader()->font());
    const int available = viewport()->width();
    QList<int> ideal(M::ColumnCount, 0);
    int total = 0;
    int pixels = kRowTextPx;
    for (; pixels >= kMinRowTextPx; pixels -= 2) {
        const QFont cellFont = sized(font(), pixels, logicalDpiY());
        const QFontMetrics cell(cellFont);
        QFont boldFont = cellFont; // the delegate draws the state in bold
        boldFont.setBold(true);
        const QFontMetrics bold(boldFont);
        const int pad = 2 * cell.averageCharWidth() + 8;
        const int icon = kIconPx + 10;
        const auto widest = [&](const QStringList &texts) {
            int w = 0;
            for (const QString &t : texts)
                w = std::max(w, cell.horizontalAdvance(t));
            return w + pad;
        };
        const auto header = [&](int column) {
            return head.horizontalAdvance(model()->headerData(column, Qt::Horizontal).toString()) + pad;
        };
        ideal[M::TicketColumn] = std::max(header(M::TicketColumn), widest({u"A-000"_s}) + icon);
        ideal[M::PatientColumn] = std::max(header(M::PatientColumn), widest({u"김*준"_s, u"M*****n"_s}));
        ideal[M::DepartmentColumn] = std::max(header(M::DepartmentColumn), widest(departments));
        ideal[M::DoctorColumn] = std::max(header(M::DoctorColumn), widest(doctors));
        int state = 0;
        for (const QString &t : std::as_const(states))
            state = std::max(state, bold.horizontalAdvance(t));
        ideal[M::StatusColumn] = std::max(header(M::StatusColumn), state + pad + icon);
        ideal[M::ExaminationsColumn] = std::max(header(M::ExaminationsColumn), widest({u"10/10"_s}));
        ideal[M::WaitingColumn] = std::max(header(M::WaitingColumn), widest({ModelText::minutes(888 * 60)}));
        total = 0;
        for (int w : std::as_const(ideal))
            total += w;
        if (total <= available)
            break;
    }
    pixels = std::max(pixels, kMinRowTextPx);
    if (QFontInfo(font()).pixelSize() != pixels)
        setFont(sized(font(), pixels, logicalDpiY()));
    if (total > available) {
        const QList<int> yielding{M::DepartmentColumn, M::DoctorColumn};
        int others = total;
        int cap = 0;
        for (int c : yielding) {
            others -= ideal[c];
            cap = std::max(cap, ideal[c]);
        }
        for (const int floor = QFontMetrics(font()).averageCharWidth() * 4; cap > floor; cap -= 4) {
            int sum = others;
            for (int c : yielding)
                sum += std::min(ideal[c], cap);
            if (sum <= available)
                break;
        }
        for (int c : yielding)
            ideal[c] = std::min(ideal[c], cap);
    }
    for (int c = 0; c < M::ColumnCount; ++c) {
        if (c != M::PatientColumn)
            horizontalHeader()->resizeSection(c, ideal[c]);
    }
    fitRows();
}

// Rows a little taller rather than half a row cut off at the bottom: whole rows fill the table.
void BoardTable::fitRows()
{
    const int natural = QFontMetrics(font()).height() + 18;
    const int rows = std::max(1, viewport()->height() / natural);
    verticalHeader()->setDefaultSectionSize(std::max(natural, viewport()->height() / rows));
}

int BoardTable::rowsPerPage() const
{
    return std::max(1, viewport()->height() / std::max(1, verticalHeader()->defaultSectionSize()));
}

int BoardTable::pageCount() const
{
    const int perPage = rowsPerPage();
    return std::max(1, (model()->rowCount() + perPage - 1) / perPage);
}

int BoardTable::page() const
{
    const QScrollBar *bar = verticalScrollBar();
    if (bar->maximum() > 0 && bar->value() >= bar->maximum())
        return pageCount();
    return std::min(pageCount(), bar->value() / rowsPerPage() + 1);
}

void BoardTable::turnPage()
{
    QScrollBar *bar = verticalScrollBar();
    if (bar->maximum() <= 0)
        return;
    bar->setValue(bar->value() >= bar->maximum() ? 0 : std::min(bar->maximum(), bar->value() + rowsPerPage()));
}

} // namespace clinicflow::client
