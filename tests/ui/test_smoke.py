def test_window_opens_unlocked(window):
    assert window.stack.currentWidget() is window.splitter
    assert window.navigator.cases.rowCount() == 0
