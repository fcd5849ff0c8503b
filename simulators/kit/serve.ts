export { listen, type Listening } from '../../runtime/listen';
